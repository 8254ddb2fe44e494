// Every reference to the method a user can see ("analysis.md §4.3", or a bare
// "§3.1" after one) must lead to a heading of the same number in docs/. The
// texts checked: what `plan`, `analyze` (text, JSON, HTML report), `batch` and
// every `--help` print, the README and the other documents, and every such
// reference written in the sources, since many reasons are only printed
// under conditions the sample athlete does not meet.
#include "cli_run.hpp"
#include "registered_commands.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using ultrastrength::test::read_file;
using ultrastrength::test::run_cli;
using ultrastrength::test::TempDir;

namespace {

const fs::path source_dir = US_SOURCE_DIR;
const std::vector<std::string> documents = {"analysis", "input-formats", "output-formats"};

/// The section numbers of a document: "## 3. Phase detection" gives "3",
/// "### 4.3 Phase × group" gives "4.3".
std::set<std::string> headings(const std::string& document) {
    std::set<std::string> out;
    const std::string text = read_file(source_dir / "docs" / (document + ".md"));
    static const std::regex heading(R"(^#+\s+(\d+(?:\.\d+)*)\.?\s)");
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) {
            end = text.size();
        }
        const std::string line = text.substr(start, end - start) + " ";
        std::smatch m;
        if (std::regex_search(line, m, heading)) {
            out.insert(m[1].str());
        }
        start = end + 1;
    }
    return out;
}

const std::map<std::string, std::set<std::string>>& all_headings() {
    static const auto table = [] {
        std::map<std::string, std::set<std::string>> t;
        for (const auto& d : documents) {
            t[d] = headings(d);
        }
        return t;
    }();
    return table;
}

struct Reference {
    std::string document;
    std::string section;
};

/// The references in a text. A bare "§N" refers to the document named last
/// before it on the same line ("analysis.md §4.3-§4.6", "[docs/analysis.md](...)
/// §3.1"), else to `fallback`: analysis.md, the document the program's reasons
/// cite, or the document a docs/ file is itself.
std::vector<Reference> references(const std::string& text,
                                  const std::string& fallback = "analysis") {
    std::vector<Reference> out;
    static const std::regex token(
        R"((analysis|input-formats|output-formats)\.md|§\s*(\d+(?:\.\d+)*)|\n)");
    std::string current = fallback;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), token);
         it != std::sregex_iterator(); ++it) {
        const auto& m = *it;
        if (m[1].matched) {
            current = m[1].str();
        } else if (m[2].matched) {
            out.push_back({current, m[2].str()});
        } else {
            current = fallback;
        }
    }
    return out;
}

/// Fails for each reference in `text` (from `where`) with no heading.
/// Returns the number of references checked.
std::size_t check(const std::string& text, const std::string& where,
                  const std::string& fallback = "analysis") {
    const auto refs = references(text, fallback);
    for (const auto& r : refs) {
        const auto& sections = all_headings().at(r.document);
        EXPECT_TRUE(sections.count(r.section) == 1)
            << where << " cites " << r.document << ".md §" << r.section
            << ", which has no heading in docs/" << r.document << ".md";
    }
    return refs.size();
}

std::string quoted(const fs::path& p) {
    std::string out = p.string();
    out.insert(out.begin(), '\'');
    out.push_back('\'');
    return out;
}

} // namespace

TEST(DocReferences, DocumentsHaveTheirSections) {
    // The numbering the program cites most; a document without them was
    // renumbered or truncated.
    for (const char* s : {"1.2", "1.4", "2.1", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4", "3.5",
                          "4.3", "4.4", "4.5", "4.6", "4.7"}) {
        EXPECT_EQ(all_headings().at("analysis").count(s), 1u) << "analysis.md §" << s;
    }
    EXPECT_EQ(all_headings().at("input-formats").count("4.3"), 1u);
    EXPECT_EQ(all_headings().at("output-formats").count("1.9"), 1u);
    // The parser itself: a bare § after a named document refers to it.
    const auto refs = references("see output-formats.md §1.5 and §3, then analysis.md §4.3-§4.6");
    ASSERT_EQ(refs.size(), 4u);
    EXPECT_EQ(refs[1].document, "output-formats");
    EXPECT_EQ(refs[1].section, "3");
    EXPECT_EQ(refs[3].document, "analysis");
    EXPECT_EQ(refs[3].section, "4.6");
}

TEST(DocReferences, EveryHelpTextCitesExistingSections) {
    const auto main_help = run_cli("--help");
    ASSERT_EQ(main_help.exit_code, 0) << main_help.err;
    std::size_t n = check(main_help.out, "ultrastrength --help");
    // The commands are the registry's, so a new command is checked without
    // editing this test.
    const auto commands = ultrastrength::test::registered_commands();
    ASSERT_GE(commands.size(), 6u) << main_help.out;
    for (const auto& c : commands) {
        const auto help = run_cli(c + " --help");
        EXPECT_EQ(help.exit_code, 0) << c << ": " << help.err;
        EXPECT_FALSE(help.out.empty()) << c;
        n += check(help.out, "ultrastrength " + c + " --help");
    }
    EXPECT_GT(n, 0u) << "no --help cites the method: the check would prove nothing";
}

TEST(DocReferences, PlanAndAnalyzeOutputsCiteExistingSections) {
    const std::string athlete = quoted(source_dir / "samples" / "athlete");
    TempDir out;
    std::size_t n = 0;
    const std::vector<std::string> runs = {
        "analyze " + athlete,
        "analyze --json " + athlete,
        "analyze --race 2027-01-16,Test,60,3500 " + athlete,
        "plan " + athlete,
        "plan --json " + athlete,
        "plan --json --race 2027-01-16,Test,60,3500 " + athlete,
        "plan --json --race 2026-12-06,Soon,100,6000 --level novice --1rm "
        "trap_bar_deadlift=120 " +
            athlete};
    for (const auto& args : runs) {
        const auto r = run_cli(args);
        EXPECT_EQ(r.exit_code, 0) << args << ": " << r.err;
        n += check(r.out + r.err, "ultrastrength " + args);
    }
    const fs::path report = out.path / "report.html";
    const auto r = run_cli("analyze " + athlete + " --report " + quoted(report));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    n += check(read_file(report), "analyze --report");

    const fs::path plan_dir = out.path / "plan";
    const auto p = run_cli("plan " + athlete + " --out " + quoted(plan_dir));
    ASSERT_EQ(p.exit_code, 0) << p.err;
    for (const auto& entry : fs::recursive_directory_iterator(plan_dir)) {
        if (entry.is_regular_file() && entry.path().extension() != ".fit") {
            n += check(read_file(entry.path()), entry.path().string());
        }
    }
    EXPECT_GT(n, 20u) << "the outputs cite almost nothing: the check would prove nothing";
}

TEST(DocReferences, BatchOutputsCiteExistingSections) {
    TempDir out;
    const auto r = run_cli("batch " + quoted(source_dir / "samples" / "roster" / "roster.csv") +
                           " --out " + quoted(out.path));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const auto& entry : fs::recursive_directory_iterator(out.path)) {
        if (entry.is_regular_file() && entry.path().extension() != ".fit") {
            check(read_file(entry.path()), entry.path().string());
        }
    }
}

TEST(DocReferences, DocumentsAndSourcesCiteExistingSections) {
    std::size_t n = 0;
    for (const char* doc :
         {"README.md", "CONTRIBUTING.md", "plugins/README.md", "plugins/trainingpeaks/README.md",
          "docs/analysis.md", "docs/input-formats.md", "docs/output-formats.md"}) {
        if (fs::exists(source_dir / doc)) {
            const std::string name = fs::path(doc).stem().string();
            const bool in_docs = std::string(doc).rfind("docs/", 0) == 0;
            n += check(read_file(source_dir / doc), doc, in_docs ? name : "analysis");
        }
    }
    // Only references that name their document: a bare § in a source comment
    // may point to a section of the nearest cited document several lines up.
    static const std::regex named(
        R"((analysis|input-formats|output-formats)\.md\s*§\s*\d+(?:\.\d+)*)");
    for (const char* dir : {"src", "plugins", "converters", "schemas", "samples"}) {
        for (const auto& entry : fs::recursive_directory_iterator(source_dir / dir)) {
            if (!entry.is_regular_file()) {
                continue;
            }
            const auto ext = entry.path().extension().string();
            if (ext != ".cpp" && ext != ".hpp" && ext != ".json" && ext != ".md" && ext != ".txt") {
                continue;
            }
            const std::string text = read_file(entry.path());
            std::string only_named;
            for (auto it = std::sregex_iterator(text.begin(), text.end(), named);
                 it != std::sregex_iterator(); ++it) {
                only_named += it->str() + "\n";
            }
            n += check(only_named, fs::relative(entry.path(), source_dir).string());
        }
    }
    EXPECT_GT(n, 50u);
}

TEST(DocReferences, NoUserVisibleTextPointsOutsideTheRepository) {
    // The README and --help are read by people who have only the repository.
    for (const char* doc : {"README.md", "plugins/README.md"}) {
        const std::string text = read_file(source_dir / doc);
        EXPECT_EQ(text.find("../shared"), std::string::npos) << doc << " points to ../shared";
        EXPECT_EQ(text.find("shared/specs"), std::string::npos) << doc << " points to shared/specs";
    }
    const auto commands = ultrastrength::test::registered_commands();
    ASSERT_GE(commands.size(), 6u);
    for (const auto& c : commands) {
        const std::string command = c + " --help";
        const auto help = run_cli(command);
        EXPECT_EQ(help.out.find("shared/"), std::string::npos) << c << " --help";
    }
}
