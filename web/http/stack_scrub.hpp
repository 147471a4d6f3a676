#pragma once
// Overwrites the stack just below the caller's frame, where the functions it called kept their
// locals. For secrets that a library copies into a stack buffer: nlohmann::json's serializer
// escapes every string through a 512-byte array on the stack, so a password it wrote stays in
// that thread's stack until something else happens to overwrite it (found by the campaign
// tests/campaigns/passphrase_hygiene.py in a gcore of the server). Call it right after such a call.
namespace inkan::web {

void scrub_stack() noexcept;

}  // namespace inkan::web
