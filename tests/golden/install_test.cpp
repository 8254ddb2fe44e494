// What `cmake --install` and the package ship: the man page and the
// completions say what the binary's --help says, the version is one, and an
// installed tree runs on its own (schemas and samples found where installed).
#include "cli_run.hpp"
#include "registered_commands.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using ultrastrength::test::read_file;
using ultrastrength::test::run_cli;
using ultrastrength::test::TempDir;

namespace {

const fs::path generated = fs::path(US_BINARY_DIR) / "packaging";

struct Shell {
    int exit_code = -1;
    std::string out;
};

/// Runs a shell command, stdout and stderr together.
Shell shell(const std::string& command) {
    Shell r;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (pipe == nullptr) {
        return r;
    }
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) {
        r.out.append(buf, n);
    }
    const int status = ::pclose(pipe);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

std::string quoted(const fs::path& p) {
    std::string out = p.string();
    out.insert(out.begin(), '\'');
    out.push_back('\'');
    return out;
}

/// The commands of the registry (src/cli/commands.cpp).
std::vector<std::string> commands() {
    return ultrastrength::test::registered_commands();
}

/// The long options a command's --help lists.
std::vector<std::string> long_options(const std::string& command) {
    const auto help = run_cli(command + " --help");
    std::vector<std::string> out;
    static const std::regex option(R"(\n  (?:-\w \[ )?(--[a-z0-9][a-z0-9-]*))");
    for (auto it = std::sregex_iterator(help.out.begin(), help.out.end(), option);
         it != std::sregex_iterator(); ++it) {
        out.push_back((*it)[1].str());
    }
    return out;
}

/// The man page as text: roff escapes and font changes removed.
std::string man_text() {
    std::string t = read_file(generated / "ultrastrength.1");
    t = std::regex_replace(t, std::regex(R"(\\f[BIRP])"), "");
    t = std::regex_replace(t, std::regex(R"(\\-)"), "-");
    t = std::regex_replace(t, std::regex(R"(\\&)"), "");
    t = std::regex_replace(t, std::regex(R"(\\e)"), "\\");
    return t;
}

} // namespace

TEST(ManPage, HasASectionForEveryCommandWithEveryOption) {
    const std::string man = man_text();
    ASSERT_FALSE(man.empty()) << "no man page in " << generated;
    const auto names = commands();
    ASSERT_GE(names.size(), 6u);
    for (std::size_t i = 0; i < names.size(); ++i) {
        const auto begin = man.find("\n.SS " + names[i] + "\n");
        ASSERT_NE(begin, std::string::npos) << "no section for " << names[i];
        const auto end = man.find("\n.S", begin + 1);
        const std::string section = man.substr(begin, end - begin);
        const auto options = long_options(names[i]);
        EXPECT_FALSE(options.empty()) << names[i];
        for (const auto& o : options) {
            EXPECT_NE(section.find(o), std::string::npos)
                << "man page section " << names[i] << " lacks " << o;
        }
        // The command's usage line, word for word, after ".B ultrastrength".
        const auto help = run_cli(names[i] + " --help").out;
        const std::string prefix = "Usage: ultrastrength ";
        ASSERT_EQ(help.rfind(prefix, 0), 0u) << help;
        const std::string usage = help.substr(prefix.size(), help.find('\n') - prefix.size());
        EXPECT_NE(section.find(".B ultrastrength\n" + usage + "\n"), std::string::npos) << usage;
    }
}

TEST(ManPage, CarriesTheProgramVersion) {
    const auto v = run_cli("--version");
    EXPECT_EQ(v.out, std::string("ultrastrength ") + US_VERSION + "\n");
    EXPECT_NE(man_text().find(std::string("\"ultrastrength ") + US_VERSION + "\""),
              std::string::npos);
}

TEST(ManPage, RendersWithoutWarnings) {
    const auto r = shell("MANWIDTH=80 man --warnings -l " + quoted(generated / "ultrastrength.1") +
                         " 2>&1 >/dev/null");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_EQ(r.out, "") << "man reports: " << r.out;
    const auto text = shell("MANWIDTH=80 man -l " + quoted(generated / "ultrastrength.1"));
    EXPECT_NE(text.out.find("EXIT STATUS"), std::string::npos);
    EXPECT_NE(text.out.find("/usr/share/ultrastrength/samples"), std::string::npos);
}

TEST(Completion, BashOffersCommandsOptionsAndValues) {
    const fs::path script = generated / "ultrastrength.bash-completion";
    ASSERT_EQ(shell("bash -n " + quoted(script)).exit_code, 0);
    // Complete as bash would, without the bash-completion package.
    auto complete = [&](const std::string& words, int cword) {
        return shell("bash -c 'source " + script.string() + "; COMP_WORDS=(" + words +
                     "); COMP_CWORD=" + std::to_string(cword) +
                     "; _ultrastrength; printf \"%s\\n\" \"${COMPREPLY[@]}\"'")
            .out;
    };
    EXPECT_EQ(complete("ultrastrength pl", 1), "plan\n");
    EXPECT_EQ(complete("ultrastrength plan --for", 2), "--format\n");
    EXPECT_EQ(complete("ultrastrength plan --format garmin-fit,i", 3), "garmin-fit,ics\n");
    EXPECT_EQ(complete("ultrastrength plan --level a", 3), "advanced\n");
    for (const auto& c : commands()) {
        const std::string all = complete("ultrastrength " + c + " --", 2);
        for (const auto& o : long_options(c)) {
            EXPECT_NE(all.find(o + "\n"), std::string::npos) << c << " " << o;
        }
    }
}

TEST(Completion, ZshDefinesEveryCommand) {
    const fs::path script = generated / "_ultrastrength";
    const auto syntax = shell("zsh -n " + quoted(script));
    EXPECT_EQ(syntax.exit_code, 0) << syntax.out;
    const std::string text = read_file(script);
    EXPECT_EQ(text.rfind("#compdef ultrastrength\n", 0), 0u);
    for (const auto& c : commands()) {
        EXPECT_NE(text.find("    " + c + ")\n"), std::string::npos) << c;
        for (const auto& o : long_options(c)) {
            EXPECT_NE(text.find(o), std::string::npos) << c << " " << o;
        }
    }
}

TEST(Install, InstalledTreeRunsOnItsOwn) {
    TempDir prefix;
    const auto install = shell(std::string(US_CMAKE_COMMAND) + " --install " +
                               quoted(US_BINARY_DIR) + " --prefix " + quoted(prefix.path));
    ASSERT_EQ(install.exit_code, 0) << install.out;
    for (const char* f :
         {"bin/ultrastrength", "share/man/man1/ultrastrength.1.gz",
          "share/bash-completion/completions/ultrastrength",
          "share/zsh/vendor-completions/_ultrastrength", "share/ultrastrength/schemas/gpx11.xsd",
          "share/ultrastrength/schemas/TrainingCenterDatabasev2.xsd",
          "share/ultrastrength/schemas/plan.schema.json",
          "share/ultrastrength/samples/roster/roster.csv", "share/ultrastrength/samples/SOURCES.md",
          "share/doc/ultrastrength/copyright", "share/doc/ultrastrength/README.md",
          "share/doc/ultrastrength/CHANGELOG.md", "share/doc/ultrastrength/docs/analysis.md"}) {
        EXPECT_TRUE(fs::is_regular_file(prefix.path / f)) << f;
    }
    EXPECT_TRUE(fs::is_directory(prefix.path / "share/ultrastrength/samples/athlete/garmin"));
    // Nothing of the test suite or the sources is installed.
    EXPECT_FALSE(fs::exists(prefix.path / "share/ultrastrength/samples/gen"));
    EXPECT_FALSE(fs::exists(prefix.path / "include"));

    // validate reads the installed schemas, not the source tree's: without the
    // installed GPX 1.1 XSD it names the installed path.
    const fs::path bin = prefix.path / "bin" / "ultrastrength";
    const fs::path bad = prefix.path / "bad.tcx";
    {
        std::ofstream out(bad);
        out << "<?xml version=\"1.0\"?>\n<TrainingCenterDatabase "
               "xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\">\n"
               "<Activities><Activity Sport=\"Running\"></Activities>\n"
               "</TrainingCenterDatabase>\n";
    }
    const auto v =
        shell("env -u ULTRASTRENGTH_SCHEMAS " + quoted(bin) + " validate " + quoted(bad));
    EXPECT_EQ(v.exit_code, 1) << v.out;
    EXPECT_NE(v.out.find(bad.string() + ":3: not well-formed XML: "), std::string::npos) << v.out;
    const fs::path schemas = prefix.path / "share/ultrastrength/schemas";
    fs::remove(schemas / "gpx11.xsd");
    const fs::path gpx = prefix.path / "run.gpx";
    {
        std::ofstream out(gpx);
        out << "<?xml version=\"1.0\"?>\n<gpx version=\"1.1\" creator=\"t\" "
               "xmlns=\"http://www.topografix.com/GPX/1/1\"></gpx>\n";
    }
    const auto missing =
        shell("env -u ULTRASTRENGTH_SCHEMAS " + quoted(bin) + " validate " + quoted(gpx));
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_NE(missing.out.find((schemas / "gpx11.xsd").string() + " is not installed"),
              std::string::npos)
        << missing.out;

    // The sample plan from the installed samples.
    const fs::path out = prefix.path / "plan";
    const auto plan = shell("XDG_CACHE_HOME=" + quoted(prefix.path / "cache") + " " + quoted(bin) +
                            " plan " + quoted(prefix.path / "share/ultrastrength/samples/athlete") +
                            " --out " + quoted(out) + " --quiet");
    EXPECT_EQ(plan.exit_code, 0) << plan.out;
    EXPECT_EQ(plan.out, "");
    EXPECT_TRUE(fs::is_regular_file(out / "plan.txt"));
}
