// Transparent huge pages for the heap. A Sweden-size projection is gigabytes of arrays; with
// 4 KiB pages, filling them costs one page fault per 4 KiB, and on this virtual machine a fault
// is a trap to the hypervisor: loading a Sweden checkpoint spent half its time there. glibc backs
// its heap with 2 MiB pages (madvise(MADV_HUGEPAGE)) when the tunable glibc.malloc.hugetlb=1 is
// set, and tunables are read only when a process starts (docs/decisions.md).
#pragma once

namespace capledger {

// Re-executes the running program (the same file, arguments and environment) once with
// glibc.malloc.hugetlb=1 added to GLIBC_TUNABLES, so that every allocation of the process may use
// huge pages. Returns without doing anything when the tunable is already set, when
// CAPLEDGER_SMALL_PAGES is set (to measure without), under valgrind (its tools would stop
// following the process), or when the program's file cannot be named or executed.
void ReexecWithHugePages(char** argv);

}  // namespace capledger
