/* QEMU mps2-an386 (Cortex-M4F): startup, semihosting console and exit, relay, SysTick counter,
 * stack painting. See board.h. */
#include "board.h"

#include <string.h>

/* From the linker script (mps2-an386.ld). */
extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;

int main(void);

/* Arm semihosting: the operation in r0, its argument block in r1, BKPT 0xAB (Armv7-M). */
static int semihost(int op, const void *arg)
{
    register int r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

enum { SYS_OPEN = 0x01, SYS_WRITE = 0x05, SYS_EXIT_EXTENDED = 0x20 };
enum { ADP_STOPPED_APPLICATION_EXIT = 0x20026 };

static int handles[2] = { -1, -1 };

void console_open(void)
{
    /* ":tt" is the host's console: mode 4 ("w") is its stdout, mode 8 ("a") its stderr. */
    static const char tt[] = ":tt";
    const uintptr_t out[3] = { (uintptr_t)tt, 4, sizeof tt - 1 };
    const uintptr_t err[3] = { (uintptr_t)tt, 8, sizeof tt - 1 };
    handles[CONSOLE_OUT] = semihost(SYS_OPEN, out);
    handles[CONSOLE_ERR] = semihost(SYS_OPEN, err);
}

void console_write(enum console where, const char *bytes, size_t len)
{
    if (len == 0 || handles[where] < 0)
        return;
    const uintptr_t block[3] = { (uintptr_t)handles[where], (uintptr_t)bytes, len };
    (void)semihost(SYS_WRITE, block);
}

void console_str(enum console where, const char *s)
{
    console_write(where, s, strlen(s));
}

void console_u64(enum console where, uint64_t value)
{
    char digits[20];
    size_t n = sizeof digits;
    do {
        digits[--n] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    console_write(where, digits + n, sizeof digits - n);
}

_Noreturn void board_exit(int status)
{
    const uintptr_t block[2] = { ADP_STOPPED_APPLICATION_EXIT, (uintptr_t)status };
    for (;;)
        (void)semihost(SYS_EXIT_EXTENDED, block);
}

/* MPS2 FPGAIO: LED register, bit 0 is LED0. */
#define FPGAIO_LED (*(volatile uint32_t *)0x40028000u)

bool relay_set(bool on)
{
    uint32_t v = FPGAIO_LED;
    FPGAIO_LED = on ? (v | 1u) : (v & ~1u);
    return ((FPGAIO_LED & 1u) != 0) == on;
}

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
/* SysTick runs at 25 MHz on mps2-an386, and -icount shift=0 makes one instruction 1 ns. */
#define INSTRUCTIONS_PER_TICK 40u

uint32_t counter_start(void)
{
    SYST_CSR = 0;
    SYST_RVR = 0x00FFFFFFu;
    SYST_CVR = 0;
    SYST_CSR = 0x5; /* enable, processor clock, no interrupt */
    /* The first tick loads the reload value; count from there. Reading CSR clears COUNTFLAG. */
    while (SYST_CVR == 0) {
    }
    (void)SYST_CSR;
    return SYST_CVR;
}

uint64_t counter_stop(uint32_t start)
{
    uint32_t now = SYST_CVR;
    if (SYST_CSR & (1u << 16))
        return UINT64_MAX;
    /* SysTick counts down. */
    return (uint64_t)(start - now) * INSTRUCTIONS_PER_TICK;
}

#define PAINT 0xC0FFEE11u
#define PAINT_MAX (64u * 1024u)

/* Calls fn in a frame of its own, below the stack pointer stack_peak read. */
static __attribute__((noinline)) void call(void (*fn)(void *), void *arg)
{
    fn(arg);
    __asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) size_t stack_peak(void (*fn)(void *), void *arg, size_t *free)
{
    uintptr_t sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    sp &= ~(uintptr_t)3;
    uintptr_t heap = (uintptr_t)&_ebss;
    uintptr_t floor = sp - PAINT_MAX > heap ? sp - PAINT_MAX : heap;
    /* Leave the words just below sp alone: nothing of ours is there, but be generous. */
    uintptr_t top = sp - 16;
    for (volatile uint32_t *p = (volatile uint32_t *)floor; (uintptr_t)p < top; p++)
        *p = PAINT;
    call(fn, arg);
    uintptr_t low = floor;
    while (low < top && *(volatile uint32_t *)low == PAINT)
        low += 4;
    *free = sp - floor;
    return sp - low;
}

/* --- startup ---------------------------------------------------------------------------- */

static void fault(void)
{
    console_str(CONSOLE_OUT, "fault\n");
    board_exit(3);
}

void Reset_Handler(void)
{
    /* .data from its load address in flash; .bss zeroed. */
    memcpy(&_sdata, &_sidata, (size_t)((char *)&_edata - (char *)&_sdata));
    memset(&_sbss, 0, (size_t)((char *)&_ebss - (char *)&_sbss));
    /* The FPU (CP10, CP11): the code is built for the hard-float ABI. */
    *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    board_exit(main());
}

typedef void (*vector)(void);

/* The Cortex-M vector table: the initial stack pointer, then the exception handlers. No
 * interrupt is enabled, so every other entry is a fault. */
__attribute__((section(".isr_vector"), used)) static const vector vectors[16] = {
    (vector)(uintptr_t)&_estack,
    Reset_Handler,
    fault, /* NMI */
    fault, /* HardFault */
    fault, /* MemManage */
    fault, /* BusFault */
    fault, /* UsageFault */
    0, 0, 0, 0,
    fault, /* SVCall */
    fault, /* DebugMonitor */
    0,
    fault, /* PendSV */
    fault, /* SysTick */
};
