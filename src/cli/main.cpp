// ultrastrength: reads a runner's history, works out the training phase and
// writes periodized strength workouts. main() only dispatches to a command
// and maps errors to exit codes.
#include "cli/command.hpp"
#include "cli/version.hpp"

#include <exception>
#include <iostream>
#include <string>
#include <vector>

namespace {

using namespace ultrastrength;
using namespace ultrastrength::cli;

void print_overview(std::ostream& out) {
    out << "Usage: ultrastrength COMMAND [OPTIONS] [ARGS]\n\n"
           "Reads a runner's activity history ("
        << reader_names(", ", ", ")
        << ", .gz, .zip, Garmin and Strava\n"
           "bulk exports), works out weekly volume, load and the training phase, and writes\n"
           "periodized strength workouts for Garmin, TrainingPeaks and calendars.\n\n"
           "Commands:\n";
    for (const auto& info : all_commands()) {
        out << "  " << info.name
            << std::string(12 - std::min<std::size_t>(11, info.name.size()), ' ') << info.synopsis
            << '\n';
    }
    out << "\n'ultrastrength COMMAND --help' describes a command's options.\n"
           "Exit codes: 0 all good, 1 done with some inputs rejected, 2 usage error,\n"
           "3 nothing could be done.\n";
}

const CommandInfo* find_command(const std::string& name) {
    for (const auto& info : all_commands()) {
        if (info.name == name) {
            return &info;
        }
    }
    return nullptr;
}

} // namespace

int main(int argc, char* argv[]) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        print_overview(std::cerr);
        return exit_usage;
    }
    const std::string first = args.front();
    if (first == "--help" || first == "-h") {
        print_overview(std::cout);
        return exit_ok;
    }
    if (first == "--version") {
        std::cout << "ultrastrength " << ultrastrength::version << '\n';
        return exit_ok;
    }
    if (first == "help") {
        if (args.size() < 2) {
            print_overview(std::cout);
            return exit_ok;
        }
        args = {args[1], "--help"};
    }

    const CommandInfo* info = find_command(args.front());
    if (info == nullptr) {
        std::cerr << "ultrastrength: unknown command '" << args.front()
                  << "'; 'ultrastrength --help' lists the commands\n";
        return exit_usage;
    }
    auto command = info->make();
    args.erase(args.begin());
    try {
        if (!command->setup(args)) {
            std::cout << command->help();
            return exit_ok;
        }
    } catch (const UsageError& e) {
        std::cerr << "ultrastrength " << info->name << ": " << e.what() << "\n"
                  << "'ultrastrength " << info->name << " --help' describes the options\n";
        return exit_usage;
    }
    try {
        return command->run();
    } catch (const UsageError& e) {
        std::cerr << "ultrastrength " << info->name << ": " << e.what() << '\n';
        return exit_usage;
    } catch (const std::exception& e) {
        std::cerr << "ultrastrength " << info->name << ": " << e.what() << '\n';
        return exit_failed;
    }
}
