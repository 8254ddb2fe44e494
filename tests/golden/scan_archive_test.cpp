// `scan` on archives as users see it: junk counted as skipped, hostile
// members named on stderr, the summary line, exit codes.
#include "cli_run.hpp"
#include "tests/support/archive_builder.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cstdio>
#include <vector>

using ultrastrength::test::Bytes;
using ultrastrength::test::make_zip;
using ultrastrength::test::run_cli;
using ultrastrength::test::to_bytes;

namespace {

std::string write_temp(const std::string& name, const Bytes& bytes) {
    const std::string path = "/tmp/us-cli-" + std::to_string(::getpid()) + "-" + name;
    FILE* f = std::fopen(path.c_str(), "wb");
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
    return path;
}

std::vector<nlohmann::json> json_lines(const std::string& out) {
    std::vector<nlohmann::json> lines;
    std::size_t start = 0;
    for (std::size_t end; (end = out.find('\n', start)) != std::string::npos; start = end + 1) {
        lines.push_back(nlohmann::json::parse(out.substr(start, end - start)));
    }
    return lines;
}

} // namespace

TEST(CliArchive, JunkIsSkippedAndHostileNamesRejected) {
    const std::string path =
        write_temp("junk.zip", make_zip({{"export/", {}, true},
                                         {"__MACOSX/export/._run.fit", to_bytes("\0\5\26\7")},
                                         {"export/._run.fit", to_bytes("\0\5\26\7")},
                                         {"../evil.fit", to_bytes("x")},
                                         {"/abs.fit", to_bytes("x")}}));
    const auto r = run_cli("scan --json '" + path + "'");
    std::remove(path.c_str());
    EXPECT_EQ(r.exit_code, 1);
    const auto lines = json_lines(r.out);
    ASSERT_EQ(lines.size(), 5U);
    EXPECT_EQ(lines[0]["source"], path + "!export/");
    EXPECT_EQ(lines[0]["skipped"], "folder or special entry");
    EXPECT_EQ(lines[2]["skipped"], "AppleDouble metadata (._ file)");
    EXPECT_EQ(lines[3]["error"], "member name has a '..' component: rejected, not read");
    EXPECT_NE(r.err.find("rejected: " + path +
                         "!../evil.fit: member name has a '..' component: rejected, not read"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("rejected: " + path +
                         "!/abs.fit: member name is an absolute path: rejected, not read"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("5 inputs: 0 read (0 activities), 3 skipped, 2 rejected, 0 merged as "
                         "duplicates"),
              std::string::npos)
        << r.err;
}

TEST(CliArchive, TruncatedZipIsRejectedNamingIt) {
    // Incompressible, so that half the archive ends inside the member.
    Bytes noise(100000);
    std::uint32_t x = 12345;
    for (auto& b : noise) {
        x = x * 1103515245U + 12345U;
        b = static_cast<std::uint8_t>(x >> 24);
    }
    Bytes zip = make_zip({{"a.txt", noise}});
    zip.resize(zip.size() / 2);
    const std::string path = write_temp("cut.zip", zip);
    const auto r = run_cli("scan --json '" + path + "'");
    std::remove(path.c_str());
    // The member is not an activity, so only its start is read; the damage
    // shows when the archive moves past it.
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("rejected: " + path +
                         ": archive broken in or after member 1 (a.txt); the rest not read"),
              std::string::npos)
        << r.err;
}
