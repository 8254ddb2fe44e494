// The command names from the command registry (src/cli/commands.cpp), for the
// tests that go through every command: a new command is tested without
// editing a test. Needs us_cli_commands.
#ifndef ULTRASTRENGTH_TESTS_GOLDEN_REGISTERED_COMMANDS_HPP
#define ULTRASTRENGTH_TESTS_GOLDEN_REGISTERED_COMMANDS_HPP

#include "cli/command.hpp"

#include <string>
#include <vector>

namespace ultrastrength::test {

inline std::vector<std::string> registered_commands() {
    std::vector<std::string> out;
    for (const cli::CommandInfo& c : cli::all_commands()) {
        out.emplace_back(c.name);
    }
    return out;
}

} // namespace ultrastrength::test

#endif
