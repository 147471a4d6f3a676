#pragma once
// Where secrets are written, safe against a second local account (issue 14 item 1): a directory
// the operator's account owns and nobody else can write, and files created exclusively and then
// checked on their descriptor, so a file another user planted or linked is never written into.
#include <filesystem>

namespace inkan::service {

// The directory exists, is not a symbolic link, is owned by the effective uid and is writable by
// nobody else (no group or other write bit). Error(Io) naming the path, what is wrong and the fix.
void require_private_dir(const std::filesystem::path& dir);

// Creates the directory (0700, and missing parents) when it does not exist, then
// require_private_dir: an existing directory is taken only if it passes.
void make_private_dir(const std::filesystem::path& dir);

// The directory a single output file goes into: writable by others only with the sticky bit (as
// /tmp), so nobody else can rename or replace what we put there; owned by us or root.
void require_safe_parent_dir(const std::filesystem::path& dir);

// Creates a new file 0600 with O_CREAT|O_EXCL|O_NOFOLLOW and checks it (verify_private_file).
// Returns the descriptor. Error(AlreadyExists) when the name exists (a symbolic link included).
int create_private_file(const std::filesystem::path& path);

// On an open descriptor: a regular file, owned by the effective uid, with one link; then fchmod
// 0600. Error(Io) otherwise: the file is someone else's or is reachable under another name.
void verify_private_file(int fd, const std::filesystem::path& path);

// verify_private_file on a file a library wrote by name (libzip): opened with O_NOFOLLOW.
void restrict_private_file(const std::filesystem::path& path);

}  // namespace inkan::service
