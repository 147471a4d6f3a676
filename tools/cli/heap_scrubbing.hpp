#pragma once
// Freed memory is wiped before it goes back to the allocator (issue 7, passphrase hygiene): the
// passphrase, p12 passwords and unlocked keys pass through ordinary strings, vectors and
// OpenSSL buffers, and without this their freed copies stay readable in a core dump or swap.
namespace inkan::cli {

// Routes OpenSSL's allocations through wiping functions. Call first thing in main(), before
// OpenSSL allocates anything (it refuses afterwards, and then its frees are not wiped).
// C++ allocations are wiped from the start: heap_scrubbing.cpp replaces operator delete.
// Returns false where wiping is off (sanitizer builds keep their own allocator checks).
bool scrub_freed_memory();

}  // namespace inkan::cli
