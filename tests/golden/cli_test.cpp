// The command line as users meet it: exit codes, help, errors on stderr.
#include "cli_run.hpp"
#include "registered_commands.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include <unistd.h>

using ultrastrength::test::corpus;
using ultrastrength::test::run_cli;

TEST(Cli, OverviewListsTheCommands) {
    const auto r = run_cli("--help");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("scan"), std::string::npos);
    EXPECT_NE(r.out.find("formats"), std::string::npos);
    EXPECT_NE(r.out.find("Exit codes"), std::string::npos);
}

TEST(Cli, NoCommandIsAUsageError) {
    const auto r = run_cli("");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("Usage:"), std::string::npos);
}

TEST(Cli, UnknownCommandAndOptionAreUsageErrors) {
    auto r = run_cli("frobnicate");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("unknown command 'frobnicate'"), std::string::npos);
    r = run_cli("scan --no-such-option x");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--no-such-option"), std::string::npos);
    r = run_cli("scan");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("no INPUT given"), std::string::npos);
}

TEST(Cli, MainHelpListsTheRegisteredCommands) {
    // `ultrastrength --help` shows the registry's commands, in its order.
    const auto registered = ultrastrength::test::registered_commands();
    EXPECT_EQ(ultrastrength::test::listed_commands(), registered);
    EXPECT_NE(std::find(registered.begin(), registered.end(), "validate"), registered.end());
}

TEST(Cli, EveryCommandHasHelp) {
    const auto commands = ultrastrength::test::registered_commands();
    ASSERT_GE(commands.size(), 7u); // scan analyze plan batch push formats validate
    for (const auto& command : commands) {
        const auto r = run_cli(command + " --help");
        EXPECT_EQ(r.exit_code, 0) << command;
        EXPECT_EQ(r.out.rfind("Usage: ultrastrength " + std::string(command), 0), 0U) << r.out;
        EXPECT_TRUE(r.err.empty()) << r.err;
    }
}

TEST(Cli, MissingInputNamesThePathAndNothingCouldBeDone) {
    const auto r = run_cli("scan --json /nonexistent/run.fit");
    EXPECT_EQ(r.exit_code, 3);
    const auto line = nlohmann::json::parse(r.out);
    EXPECT_EQ(line["source"], "/nonexistent/run.fit");
    EXPECT_EQ(line["error"], "no such file or folder");
    EXPECT_NE(r.err.find("rejected: /nonexistent/run.fit: no such file or folder"),
              std::string::npos);
}

TEST(Cli, FormatsJsonListsTheReaders) {
    const auto r = run_cli("formats --json");
    EXPECT_EQ(r.exit_code, 0);
    const auto doc = nlohmann::json::parse(r.out);
    std::vector<std::string> names;
    for (const auto& reader : doc["readers"]) {
        names.push_back(reader["name"]);
    }
    EXPECT_NE(std::find(names.begin(), names.end(), "fit"), names.end());
}

TEST(Cli, FormatsListsTheWritersWithTheirExtensions) {
    const auto r = run_cli("formats --json");
    EXPECT_EQ(r.exit_code, 0);
    const auto doc = nlohmann::json::parse(r.out);
    std::vector<std::string> names;
    for (const auto& writer : doc["writers"]) {
        names.push_back(writer["name"].get<std::string>() + writer["extension"].get<std::string>());
        EXPECT_FALSE(writer["description"].get<std::string>().empty());
    }
    EXPECT_EQ(names, (std::vector<std::string>{"garmin-fit.fit", "garmin-connect.json",
                                               "trainingpeaks.json", "ics.ics", "csv.csv"}));
    const auto text = run_cli("formats");
    // Each name, then its description in a column after the longest name.
    EXPECT_NE(text.out.find("\nOutput formats (plan --format NAME,...):\n"
                            "  garmin-fit      Garmin FIT workout"),
              std::string::npos)
        << text.out;
    EXPECT_NE(text.out.find("\n  csv             CSV, one row per exercise"), std::string::npos)
        << text.out;
    // plan --help lists the same writers from the same registry.
    const auto help = run_cli("plan --help");
    for (const auto& writer : doc["writers"]) {
        EXPECT_NE(help.out.find("\n  " + writer["name"].get<std::string>() + " "),
                  std::string::npos)
            << writer["name"];
    }
}

TEST(Cli, NonActivityFileIsSkippedNotRejected) {
    const std::string path = "/tmp/us-cli-notes-" + std::to_string(::getpid()) + ".txt";
    FILE* f = std::fopen(path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("shopping list\n", f);
    std::fclose(f);
    const auto r = run_cli("scan --json '" + path + "'");
    std::remove(path.c_str());
    EXPECT_EQ(r.exit_code, 0);
    const auto line = nlohmann::json::parse(r.out);
    EXPECT_EQ(line["skipped"], "not an activity file (unknown format)");
}

TEST(Cli, ValidateChecksFitCrcsAndStructure) {
    auto r = run_cli("validate " + corpus("fit/fitparse_sdk_Activity.fit"));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("fitparse_sdk_Activity.fit: valid (FIT protocol"), std::string::npos);
    r = run_cli("validate " + corpus("bad/fitparse_bad_activity-filecrc.fit"));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.out.find("fitparse_bad_activity-filecrc.fit: byte 769: file CRC 0xB1D5 does not "
                         "match computed 0xA1D5"),
              std::string::npos)
        << r.out;
}
