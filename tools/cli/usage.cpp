#include "cli/usage.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>
#include <memory>

#include "cli/exit_codes.hpp"

namespace inkan::cli {
namespace {

// Edit distance with adjacent transpositions (optimal string alignment): "lsit" is 1 from "list".
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

const CLI::App* find_command(const CLI::App& app, const std::string& name) {
  auto found = app.get_subcommands([&name](const CLI::App* sub) { return sub->check_name(name); });
  return found.empty() ? nullptr : found.front();
}

bool has_commands(const CLI::App& app) {
  return !app.get_subcommands([](const CLI::App*) { return true; }).empty();
}

// The innermost subcommand the parser entered, or the app itself.
const CLI::App* innermost(const CLI::App& app) {
  const CLI::App* at = &app;
  for (;;) {
    auto parsed = at->get_subcommands();
    if (parsed.empty()) return at;
    at = parsed.back();
  }
}

// "inkan ca rollover"
std::string command_path(const CLI::App* app) {
  std::string path;
  for (const CLI::App* at = app; at != nullptr; at = at->get_parent())
    path = at->get_name() + (path.empty() ? "" : " " + path);
  return path;
}

std::string hint_for(const CLI::App* app) { return " (see " + command_path(app) + " --help)"; }

std::string not_a_command(const CLI::App& parent, const std::string& word) {
  auto suggestion = closest_command(parent, word);
  return "'" + word + "' is not a command of " + command_path(&parent) + "." +
         (suggestion.empty() ? "" : " Did you mean '" + suggestion + "'?") + hint_for(&parent);
}

// The first word of the command line that is neither an option, an option's value, nor one of
// the commands the parser entered: the word that was meant to name a command of `at`.
std::string stray_word(const CLI::App& app, const CLI::App& at, const std::vector<std::string>& args) {
  std::vector<const CLI::App*> path;
  for (const CLI::App* a = &at; a != nullptr; a = a->get_parent()) path.push_back(a);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (word.size() > 1 && word[0] == '-') {
      if (word.find('=') != std::string::npos) continue;
      for (const CLI::App* a : path) {  // an option that takes a value swallows the next word
        const CLI::Option* option = a->get_option_no_throw(word);
        if (option != nullptr) {
          if (option->get_items_expected_min() > 0) ++i;
          break;
        }
      }
      continue;
    }
    bool entered = std::any_of(path.begin(), path.end(), [&](const CLI::App* a) { return a != &app && a->check_name(word); });
    if (!entered) return word;
  }
  return "";
}

// Every required option or positional of `app` that the command line did not give.
std::vector<std::string> missing_required(const CLI::App* app) {
  std::vector<std::string> missing;
  for (const CLI::Option* option : app->get_options())
    if (option->get_required() && option->count() == 0)
      missing.push_back(option->get_positional() ? option->get_name(true, false) : option->get_name());
  return missing;
}

}  // namespace

std::string closest_command(const CLI::App& app, const std::string& word) {
  std::string best;
  std::size_t best_distance = std::min<std::size_t>(3, word.size());  // "ls" is not 2 edits from "ca"
  std::vector<std::string> prefixed;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    const std::string& name = sub->get_name();
    if (word.size() >= 2 && name.rfind(word, 0) == 0) prefixed.push_back(name);
    auto distance = edit_distance(word, name);
    if (distance < best_distance) best_distance = distance, best = name;
  }
  if (best.empty() && prefixed.size() == 1) best = prefixed.front();
  return best;
}

std::string usage_error_message(const CLI::App& app, const CLI::ParseError& error,
                                const std::vector<std::string>& args) {
  const CLI::App* at = innermost(app);
  if (has_commands(*at)) {
    auto word = stray_word(app, *at, args);
    if (!word.empty() && find_command(*at, word) == nullptr) return not_a_command(*at, word);
  }
  const std::string where = at == &app ? "" : at->get_name() + ": ";
  if (dynamic_cast<const CLI::RequiredError*>(&error) != nullptr) {
    auto missing = missing_required(at);
    if (!missing.empty()) {
      std::string list;
      for (const auto& name : missing) list += (list.empty() ? "" : ", ") + name;
      return where + "missing " + list + hint_for(at);
    }
  }
  return where + error.what() + hint_for(at);
}

void add_help_command(CLI::App& app) {
  auto topic = std::make_shared<std::vector<std::string>>();
  auto* cmd = app.add_subcommand("help", "Show the help of inkan or of a command, e.g. `inkan help ca rollover`");
  cmd->add_option("command", *topic, "The command (and subcommand) to explain");
  cmd->callback([&app, topic] {
    const CLI::App* at = &app;
    for (const std::string& word : *topic) {
      const CLI::App* next = find_command(*at, word);
      if (next == nullptr) {
        std::cerr << "inkan: " << not_a_command(*at, word) << "\n";
        throw ExitStatus{kExitUsage};
      }
      at = next;
    }
    // The formatter directly: App::help() would show the help of the `help` command itself.
    const std::string prev = at->get_parent() == nullptr ? "" : command_path(at->get_parent());
    std::cout << at->get_formatter()->make_help(at, at->get_parent() == nullptr ? at->get_name() : prev + " " + at->get_name(),
                                                CLI::AppFormatMode::Normal);
    throw ExitStatus{kExitOk};
  });
}

}  // namespace inkan::cli
