# Cross-compiling for the kiosk (64-bit ARM, Debian 12) from an x86-64 Debian 12 host:
#   cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64.cmake -DPORTTI_SYSROOT=DIR
# The compiler is Debian's crossbuild-essential-arm64 (aarch64-linux-gnu-g++); headers and libraries
# come from an arm64 Debian sysroot (scripts/check-arm64 makes one with mmdebstrap), not from
# multiarch: libopencv-dev:arm64 cannot be installed beside libopencv-dev:amd64. Tests run under
# qemu-user (CMAKE_CROSSCOMPILING_EMULATOR), so gtest_discover_tests and ctest work unchanged.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(PORTTI_SYSROOT "${CMAKE_CURRENT_LIST_DIR}/../build-arm64/sysroot" CACHE PATH "arm64 Debian sysroot")
get_filename_component(PORTTI_SYSROOT "${PORTTI_SYSROOT}" ABSOLUTE)
if(NOT EXISTS "${PORTTI_SYSROOT}/usr/include/aarch64-linux-gnu")
  message(FATAL_ERROR "no arm64 sysroot at ${PORTTI_SYSROOT} (scripts/check-arm64 makes one)")
endif()
# try_compile projects re-read this file: hand them the sysroot too.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES PORTTI_SYSROOT PORTTI_MCPU)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_SYSROOT "${PORTTI_SYSROOT}")

# The target CPU baseline: see docs/deploy.md ("Build flags"). armv8-a+crc runs on every
# Cortex-A53/A72/A76 kiosk; -mtune=cortex-a72 schedules for the middle of the fleet.
set(PORTTI_MCPU "-march=armv8-a+crc -mtune=cortex-a72" CACHE STRING "target CPU flags")
set(CMAKE_C_FLAGS_INIT "${PORTTI_MCPU}")
set(CMAKE_CXX_FLAGS_INIT "${PORTTI_MCPU}")

# Libraries, headers and CMake packages only from the sysroot; programs (moc, protoc...) from the host.
set(CMAKE_FIND_ROOT_PATH "${PORTTI_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

# pkg-config reads only the sysroot's .pc files and prefixes their paths with the sysroot.
set(ENV{PKG_CONFIG_DIR} "")
set(ENV{PKG_CONFIG_LIBDIR} "${PORTTI_SYSROOT}/usr/lib/aarch64-linux-gnu/pkgconfig:${PORTTI_SYSROOT}/usr/lib/pkgconfig:${PORTTI_SYSROOT}/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "${PORTTI_SYSROOT}")

# Running target programs (test discovery, ctest): qemu-user with the sysroot as its library prefix.
find_program(PORTTI_QEMU NAMES qemu-aarch64-static qemu-aarch64 REQUIRED)
set(CMAKE_CROSSCOMPILING_EMULATOR "${PORTTI_QEMU};-L;${PORTTI_SYSROOT}")
