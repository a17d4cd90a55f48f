# Shared by .ci/run and scripts/*: installs and wraps Debian's Rust toolchain, which brings the
# core sources that `-Zbuild-std=core` needs for embedded targets (rustup cannot download them here).

apt_install() {
    if [ "$(id -u)" -eq 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
    else
        sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
    fi
}

apt_updated=
apt_update_once() {
    if [ -z "$apt_updated" ]; then
        if [ "$(id -u)" -eq 0 ]; then apt-get update -qq; else sudo apt-get update -qq; fi
        apt_updated=1
    fi
}

ensure_debian_toolchain() {
    # rustc-web does not pull in /usr/bin/cargo (package cargo-web) under --no-install-recommends:
    # each binary is checked and installed by its own package name.
    if [ -x /usr/bin/rustc ] && [ -x /usr/bin/cargo ] \
        && [ -d /usr/lib/rustlib/src/rust/library/core ] && command -v ld.lld-22 >/dev/null; then
        return 0
    fi
    apt_update_once
    apt_install rustc-web cargo-web rust-web-src lld-22
}

# QEMU 7.2 from Debian. Machines whose qemu-utils came from backports (10.x) conflict with it, so
# qemu-utils is pinned to the matching 7.2 build.
ensure_qemu() {
    if command -v qemu-system-arm >/dev/null && command -v qemu-system-riscv32 >/dev/null; then
        return 0
    fi
    apt_update_once
    local pin=()
    local utils
    utils=$(dpkg-query -W -f='${Version}' qemu-utils 2>/dev/null || true)
    case "$utils" in
        1:7.2*|"") ;;
        *) pin=(--allow-downgrades "qemu-utils=$(apt-cache madison qemu-system-arm | awk 'NR==1{print $3}')") ;;
    esac
    apt_install "${pin[@]}" qemu-system-arm qemu-system-misc
}

# cargo with Debian's rustc (1.96, with core sources) and build-std for embedded targets.
embedded_cargo() {
    local sub=$1
    shift
    RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 \
        CARGO_TARGET_DIR="${EMBEDDED_TARGET_DIR:-target/embedded}" \
        /usr/bin/cargo "$sub" -Zbuild-std=core "$@"
}
