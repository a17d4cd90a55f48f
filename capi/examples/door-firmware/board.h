/* What the C door needs from the board (QEMU mps2-an386, Cortex-M4F): a console and an exit
 * through Arm semihosting, the relay (the FPGAIO LED register), and the measuring tools of the
 * footprint report (SysTick as an instruction counter under QEMU's -icount shift=0, stack
 * painting). */
#ifndef DOOR_BOARD_H
#define DOOR_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The console: the host's standard output (compared with expected/) or standard error (the
 * measurements, which vary with the compiler). */
enum console { CONSOLE_OUT, CONSOLE_ERR };
void console_open(void);
void console_write(enum console where, const char *bytes, size_t len);
void console_str(enum console where, const char *s);
void console_u64(enum console where, uint64_t value);

/* Ends the QEMU run with this exit status. */
_Noreturn void board_exit(int status);

/* Drives the relay and reads the register back: false if it did not take the value. */
bool relay_set(bool on);

/* Instructions counted by SysTick (40 per tick under -icount shift=0, 24 bits: at most
 * 671 million): start, then stop returns the count, or UINT64_MAX when the counter wrapped. */
uint32_t counter_start(void);
uint64_t counter_stop(uint32_t start);

/* Peak stack of fn(arg) in bytes, by painting the free stack below the caller's (at most
 * 64 KiB, down to the end of the statics) and finding the lowest word that changed. *free gets
 * the painted bytes; a result equal to *free means the paint ran out. No interrupt may run
 * meanwhile (the firmware enables none). */
size_t stack_peak(void (*fn)(void *), void *arg, size_t *free);

#endif
