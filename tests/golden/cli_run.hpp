// Runs the real `ultrastrength` binary (US_CLI) and captures its output and
// exit code, for tests of the command line as users see it.
#ifndef ULTRASTRENGTH_TESTS_GOLDEN_CLI_RUN_HPP
#define ULTRASTRENGTH_TESTS_GOLDEN_CLI_RUN_HPP

#include <array>
#include <cstdio>
#include <regex>
#include <string>
#include <sys/wait.h>
#include <vector>

namespace ultrastrength::test {

struct CliResult {
    int exit_code = -1;
    std::string out; ///< stdout
    std::string err; ///< stderr
};

/// Runs `US_CLI args` through the shell (args must be quoted by the caller).
inline CliResult run_cli(const std::string& args) {
    static int counter = 0;
    const std::string err_file =
        "/tmp/us-cli-stderr-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    const std::string command = std::string(US_CLI) + " " + args + " 2>" + err_file;
    CliResult result;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return result;
    }
    std::array<char, 65536> buf{};
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) {
        result.out.append(buf.data(), n);
    }
    const int status = ::pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (FILE* err = std::fopen(err_file.c_str(), "rb")) {
        while ((n = std::fread(buf.data(), 1, buf.size(), err)) > 0) {
            result.err.append(buf.data(), n);
        }
        std::fclose(err);
    }
    std::remove(err_file.c_str());
    return result;
}

/// The commands `ultrastrength --help` lists, as it shows them (the tests
/// that go through every command take the registry's list instead:
/// registered_commands.hpp).
inline std::vector<std::string> listed_commands() {
    const auto help = run_cli("--help");
    std::vector<std::string> out;
    static const std::regex line(R"(\n  ([a-z][a-z-]*)\s{2,})");
    for (auto it = std::sregex_iterator(help.out.begin(), help.out.end(), line);
         it != std::sregex_iterator(); ++it) {
        out.push_back((*it)[1].str());
    }
    return out;
}

/// Runs a whole shell command line; returns its stdout.
inline std::string run_cli_shell(const std::string& command) {
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return out;
    }
    std::array<char, 65536> buf{};
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) {
        out.append(buf.data(), n);
    }
    ::pclose(pipe);
    return out;
}

inline std::string corpus(const std::string& relative) {
    return std::string("'") + US_CORPUS_DIR + "/" + relative + "'";
}

} // namespace ultrastrength::test

#endif
