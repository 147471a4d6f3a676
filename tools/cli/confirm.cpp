#include "cli/confirm.hpp"

#include <unistd.h>

#include <iostream>

#include "ca/domain/error.hpp"

namespace inkan::cli {

void require_confirmation(const std::string& question, bool yes) {
  if (yes || !::isatty(STDIN_FILENO)) return;
  std::cerr << question << " Type yes: " << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  if (answer == "yes") return;
  std::cerr << "Nothing was changed.\n";
  throw Error(ErrorCode::InvalidArgument, "not confirmed (answer yes, or pass --yes)");
}

}  // namespace inkan::cli
