#pragma once
// How the CLI answers a command line it cannot run: a suggestion for a mistyped command, every
// missing required option at once, and a hint that points at the help of the command in hand
// rather than the top-level one (issue 16, item 12).
#include <string>
#include <vector>

namespace CLI {
class App;
class ParseError;
}  // namespace CLI

namespace inkan::cli {

// The closest subcommand name to `word` (edit distance ≤ 2, or a unique prefix), or "".
std::string closest_command(const CLI::App& app, const std::string& word);

// The one-line message and hint for a parse error, e.g.
//   "'lsit' is not an inkan command. Did you mean 'list'? (see inkan --help)"
//   "issue: missing --tenant, --cn, --out (see inkan issue --help)"
std::string usage_error_message(const CLI::App& app, const CLI::ParseError& error,
                                const std::vector<std::string>& args);

// Adds `inkan help [COMMAND...]`, which prints that command's --help.
void add_help_command(CLI::App& app);

}  // namespace inkan::cli
