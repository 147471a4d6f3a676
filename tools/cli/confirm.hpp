#pragma once
// Confirmation of a change that cannot be undone: on a terminal the operator reads what goes and
// types "yes"; scripts (no terminal) and --yes proceed.
#include <string>

namespace inkan::cli {

// Asks `question` + " Type yes: " on stderr when stdin is a terminal and `yes` is false. Anything
// but "yes" throws Error(InvalidArgument) after "Nothing was changed." on stderr.
void require_confirmation(const std::string& question, bool yes);

}  // namespace inkan::cli
