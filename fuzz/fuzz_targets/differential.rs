//! Structure-aware mutations of valid tokens (see `model`), verified by tokengate and by
//! jsonwebtoken (see `reference`). tokengate never accepts what the reference rejects unless
//! the reason is on the documented list of what tokengate deliberately accepts, and every token
//! only tokengate rejects must fall in the documented list of intended strictness
//! (`strictness`, docs/fuzzing.md). TOKENGATE_FUZZ_CENSUS=1 prints each case's class.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tokengate::Buffers;
use tokengate_fuzz::model::Case;
use tokengate_fuzz::setup::{DIFFERENTIAL, system_now};
use tokengate_fuzz::{reference, strictness};

fuzz_target!(|case: Case| {
    let now = system_now();
    let token = case.build(now).token;
    let ours = DIFFERENTIAL
        .verify(&token, now, &mut Buffers::<1536>::new())
        .map(|_| ());
    let class = match (ours, reference::verify(&token)) {
        (Ok(()), Ok(_)) => "both accept".to_owned(),
        (Err(_), Err(_)) => "both reject".to_owned(),
        (Err(e), Ok(_)) => match strictness::classify(&token, e, now) {
            Some(s) => format!("intended strictness: {s:?}"),
            None => panic!("only tokengate rejects, not a documented strictness: {e:?}\n{token}"),
        },
        (Ok(()), Err(why)) => match strictness::classify_reference_stricter(&token, &why) {
            Some(s) => format!("reference stricter: {s:?}"),
            None => panic!("tokengate accepts what the reference rejects: {why}\n{token}"),
        },
    };
    if std::env::var_os("TOKENGATE_FUZZ_CENSUS").is_some() {
        eprintln!("census: {class}");
    }
});
