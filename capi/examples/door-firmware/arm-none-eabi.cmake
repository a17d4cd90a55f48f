# CMake toolchain file: Cortex-M4F (mps2-an386) with Debian's gcc-arm-none-eabi and newlib.
#   cmake -S capi/examples/door-firmware -B build -DCMAKE_TOOLCHAIN_FILE=capi/examples/door-firmware/arm-none-eabi.cmake
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
# No host-runnable programs and no startup files for the compiler checks: a static library will do.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
# The hard-float ABI of the Rust target thumbv7em-none-eabihf.
set(_cpu "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16")
set(CMAKE_C_FLAGS_INIT "${_cpu} -ffunction-sections -fdata-sections")
set(CMAKE_ASM_FLAGS_INIT "${_cpu}")
# newlib-nano for memcpy & co; the firmware's own startup (board.c), no syscalls.
# (-z noexecstack: bare metal has no executable-stack notion; it silences ld's warning about it.)
set(CMAKE_EXE_LINKER_FLAGS_INIT
    "${_cpu} --specs=nano.specs -nostartfiles -Wl,--gc-sections -Wl,-z,noexecstack")
