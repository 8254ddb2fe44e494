// Hostile names and rosters at the command line: bytes that are not UTF-8
// and control characters in file names, roster ids that are roster-wide file
// names, cells that a spreadsheet would run as formulas.
#include "tests/golden/cli_run.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace ultrastrength {
namespace {

namespace fs = std::filesystem;
using test::run_cli;

fs::path scratch(const std::string& name) {
    const auto dir =
        fs::temp_directory_path() / ("us-hostile-cli-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

const std::string sample_fit =
    std::string(US_SOURCE_DIR) + "/samples/athlete/garmin/21964103346_ACTIVITY.fit";

// Issue item 4: a name with byte 0xFF (and one with ESC) must not cost the
// JSON output, and is printed escaped.
TEST(HostileNames, NonUtf8AndEscapeInFileNamesAreEscapedEverywhere) {
    const auto dir = scratch("names");
    fs::copy_file(sample_fit, dir / "run\xff.fit");
    fs::copy_file(sample_fit, dir / "ride\x1b[2J.fit");
    std::ofstream(dir / "note\xfe\x1b]0;pwned\x07.txt") << "not an activity";
    const auto json = run_cli("scan --no-cache --json '" + dir.string() + "'");
    ASSERT_EQ(json.exit_code, 0) << json.err;
    std::istringstream lines(json.out);
    std::string line;
    int objects = 0;
    while (std::getline(lines, line)) {
        const auto j = nlohmann::json::parse(line); // valid UTF-8 JSON, one per line
        ++objects;
        const std::string source = j.at("source").get<std::string>();
        EXPECT_EQ(source.find('\xff'), std::string::npos);
    }
    EXPECT_EQ(json.out.find('\x1b'), std::string::npos); // JSON escapes it: \u001b
    EXPECT_EQ(objects, 3);
    EXPECT_NE(json.out.find("run\\\\xFF.fit"), std::string::npos) << json.out;

    const auto text = run_cli("scan --no-cache --verbose '" + dir.string() + "'");
    EXPECT_EQ(text.exit_code, 0) << text.err;
    EXPECT_EQ((text.out + text.err).find('\x1b'), std::string::npos);
    EXPECT_EQ((text.out + text.err).find('\xff'), std::string::npos);
    EXPECT_NE(text.out.find("ride\\x1B[2J.fit"), std::string::npos) << text.out;
    EXPECT_NE(text.err.find("note\\xFE\\x1B]0;pwned\\x07.txt"), std::string::npos) << text.err;

    const auto analyze = run_cli("analyze --no-cache --json '" + dir.string() + "'");
    EXPECT_NE(analyze.exit_code, 3) << analyze.err;
    EXPECT_TRUE(nlohmann::json::accept(analyze.out)) << analyze.out.substr(0, 200);
    fs::remove_all(dir);
}

// Issue item 3: an input is opened once, so a FIFO or a `<(...)` pipe is
// read (with the cache on, which used to hash it first and leave nothing to
// decode, or block forever on the second open).
TEST(OnceOnly, FifoAndProcessSubstitutionAreReadOnce) {
    const auto dir = scratch("fifo");
    const auto cache = (dir / "cache.sqlite").string();
    const std::string substituted =
        test::run_cli_shell("bash -c '\"$0\" scan --json --cache \"$1\" <(cat \"$2\")' " +
                            std::string(US_CLI) + " '" + cache + "' '" + sample_fit + "'");
    EXPECT_NE(substituted.find("\"format\":\"fit\""), std::string::npos) << substituted;

    const auto fifo = dir / "run.fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
    const std::string fed =
        test::run_cli_shell("(cat '" + sample_fit + "' > '" + fifo.string() + "' &) ; timeout 20 " +
                            std::string(US_CLI) + " scan --json --jobs 2 --cache '" + cache +
                            "' '" + fifo.string() + "'; echo \"exit $?\"");
    EXPECT_NE(fed.find("\"format\":\"fit\""), std::string::npos) << fed;
    EXPECT_NE(fed.find("exit 0"), std::string::npos) << fed;
    fs::remove_all(dir);
}

/// A roster of `rows` (after the header) with every athlete on the sample
/// athlete's history (`data`, a link to samples/athlete).
fs::path write_roster(const fs::path& dir, const std::vector<std::string>& rows) {
    fs::create_directory_symlink(std::string(US_SOURCE_DIR) + "/samples/athlete", dir / "data");
    std::ofstream roster(dir / "roster.csv", std::ios::binary);
    roster << "id,name,exports,formats\n";
    for (const auto& row : rows) {
        roster << row << "\n";
    }
    return dir / "roster.csv";
}

// Issue items 4, 5 and 6: one hostile row costs that athlete only.
TEST(HostileRoster, ReservedIdsAndHostileNamesAffectOnlyTheirRow) {
    const auto dir = scratch("roster");
    const auto roster = write_roster(
        dir, {"summary.html,Reserved,data,csv", "Plans.CSV,Reserved too,data,csv",
              "formula,=HYPERLINK(\"http://x\"),data,csv", "bytes,Na\xffme\x1b[31m,data,csv",
              "long," + std::string(5000, 'n') + ",data,csv"});
    const auto out = dir / "out";
    const auto r = run_cli("batch --cache '" + (dir / "cache").string() + "' '" + roster.string() +
                           "' --out '" + out.string() + "'");
    EXPECT_EQ(r.exit_code, 1) << r.err; // some rows failed, the rest planned
    EXPECT_NE(r.err.find("'summary.html' is the name of a roster-wide file"), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("'Plans.CSV' is the name of a roster-wide file"), std::string::npos);
    EXPECT_NE(r.err.find("name: longer than 4096 bytes"), std::string::npos) << r.err;
    EXPECT_TRUE(fs::is_regular_file(out / "summary.html"));
    EXPECT_TRUE(fs::is_directory(out / "formula"));
    EXPECT_TRUE(fs::is_directory(out / "bytes"));

    // Item 6: no cell of any CSV we write starts a formula.
    const std::string summary = slurp(out / "summary.csv");
    EXPECT_EQ(summary.find(",=HYPERLINK"), std::string::npos) << summary;
    EXPECT_NE(summary.find("'=HYPERLINK"), std::string::npos) << summary;
    for (const auto& entry : fs::recursive_directory_iterator(out)) {
        if (entry.path().extension() == ".csv") {
            const std::string text = slurp(entry.path());
            for (const char* start : {"\n=", ",=", "\n+", ",+", "\n@", ",@", ",\"=", "\n\"="}) {
                EXPECT_EQ(text.find(start), std::string::npos) << entry.path() << ": " << start;
            }
        }
    }
    // Item 4: the non-UTF-8 name is escaped in the page and the JSON files.
    const std::string html = slurp(out / "summary.html");
    EXPECT_NE(html.find("Na\\xFFme\\x1B[31m"), std::string::npos);
    EXPECT_EQ(html.find('\x1b'), std::string::npos);
    EXPECT_TRUE(nlohmann::json::accept(slurp(out / "bytes/plan.json")));
    EXPECT_TRUE(nlohmann::json::accept(slurp(out / "trainingpeaks.json")));
    fs::remove_all(dir);
}

TEST(HostileCsv, CellsThatStartAFormulaAreNeutralised) {
    // Through the csv writer's own cell function, as plans.csv and each
    // athlete's CSV use it.
    const auto dir = scratch("csvcells");
    const auto roster =
        write_roster(dir, {"at,@SUM(A1),data,csv", "minus,-2+3+cmd|' /C calc'!A0,data,csv"});
    const auto r = run_cli("batch --cache '" + (dir / "cache").string() + "' '" + roster.string() +
                           "' --out '" + (dir / "out").string() + "'");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const std::string summary = slurp(dir / "out/summary.csv");
    EXPECT_NE(summary.find("'@SUM(A1)"), std::string::npos) << summary;
    EXPECT_NE(summary.find("'-2+3+cmd"), std::string::npos) << summary;
    fs::remove_all(dir);
}

// Issue item 9, generated inputs: UTF-16 XML, GPX times without a zone,
// `validate` against `scan`, unreadable folders.

/// A GPX 1.1 track of two timed points; `time_suffix` follows the seconds
/// ("Z", "+02:00" or nothing); `name` is the track's name.
std::string small_gpx(const std::string& time_suffix, const std::string& name = "Run") {
    return "<?xml version=\"1.0\"?>\n"
           "<gpx xmlns=\"http://www.topografix.com/GPX/1/1\" version=\"1.1\" creator=\"t\">\n"
           "<trk><name>" +
           name +
           "</name><trkseg>\n"
           "<trkpt lat=\"46.5\" lon=\"7.5\"><time>2024-03-02T08:00:00" +
           time_suffix +
           "</time></trkpt>\n"
           "<trkpt lat=\"46.501\" lon=\"7.5\"><time>2024-03-02T08:01:00" +
           time_suffix + "</time></trkpt>\n</trkseg></trk></gpx>\n";
}

std::string small_tcx() {
    return "<?xml version=\"1.0\"?>\n"
           "<TrainingCenterDatabase "
           "xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\">\n"
           "<Activities><Activity Sport=\"Running\"><Id>2024-03-02T08:00:00Z</Id>\n"
           "<Lap StartTime=\"2024-03-02T08:00:00Z\"><TotalTimeSeconds>60</TotalTimeSeconds>"
           "<DistanceMeters>111</DistanceMeters><Calories>5</Calories>"
           "<Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod><Track>\n"
           "<Trackpoint><Time>2024-03-02T08:00:00Z</Time></Trackpoint>\n"
           "<Trackpoint><Time>2024-03-02T08:01:00Z</Time></Trackpoint>\n"
           "</Track></Lap></Activity></Activities></TrainingCenterDatabase>\n";
}

/// An ASCII document as UTF-16 with a byte-order mark, declared so.
std::string utf16(std::string ascii, bool big_endian) {
    ascii.insert(ascii.find("?>"), " encoding=\"UTF-16\"");
    std::string out = big_endian ? "\xFE\xFF" : "\xFF\xFE";
    for (const char c : ascii) {
        if (big_endian) {
            out += '\0';
            out += c;
        } else {
            out += c;
            out += '\0';
        }
    }
    return out;
}

void spit(const fs::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

/// The first JSON line of `scan --json` naming `file`.
nlohmann::json scanned(const std::string& json_lines, const std::string& file) {
    std::istringstream lines(json_lines);
    std::string line;
    while (std::getline(lines, line)) {
        const auto j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_object() && j.value("source", "").find(file) != std::string::npos) {
            return j;
        }
    }
    return {};
}

TEST(HostileXml, Utf16GpxAndTcxWithAByteOrderMarkAreRead) {
    const auto dir = scratch("utf16");
    spit(dir / "le.gpx", utf16(small_gpx("Z"), false));
    spit(dir / "be.gpx", utf16("\n  " + small_gpx("Z", "Hill"), true)); // whitespace first
    spit(dir / "le.tcx", utf16(small_tcx(), false));
    for (const char* file : {"le.gpx", "be.gpx", "le.tcx"}) {
        // One scan each: the same activity in several files is merged.
        const auto r = run_cli("scan --no-cache --json '" + (dir / file).string() + "'");
        EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
        const auto j = scanned(r.out, file);
        ASSERT_TRUE(j.is_object()) << file << " not read:\n" << r.out << r.err;
        EXPECT_EQ(j.value("format", ""), std::string(file).substr(3)) << file;
        EXPECT_EQ(j.value("start", ""), "2024-03-02T08:00:00Z") << file;
    }
    const auto v =
        run_cli("validate '" + (dir / "le.gpx").string() + "' '" + (dir / "le.tcx").string() + "'");
    EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
    EXPECT_NE(v.out.find("le.gpx: valid"), std::string::npos) << v.out;
    EXPECT_NE(v.out.find("le.tcx: valid"), std::string::npos) << v.out;
    fs::remove_all(dir);
}

TEST(HostileXml, GpxTimeWithoutAZoneIsUtc) {
    const auto dir = scratch("nozone");
    spit(dir / "local.gpx", small_gpx(""));
    spit(dir / "offset.gpx", small_gpx("+02:00"));
    const auto r = run_cli("scan --no-cache --json '" + dir.string() + "'");
    EXPECT_EQ(scanned(r.out, "local.gpx").value("start", ""), "2024-03-02T08:00:00Z") << r.out;
    EXPECT_EQ(scanned(r.out, "offset.gpx").value("start", ""), "2024-03-02T06:00:00Z") << r.out;
    fs::remove_all(dir);
}

TEST(HostileXml, ValidateNeverCallsValidWhatScanRefuses) {
    const auto dir = scratch("validate");
    // Schema-valid, but with a DOCTYPE (scan refuses any; libxml2's schema
    // validator prints "Unimplemented block" on its entity to stderr).
    std::string doctype = small_gpx("Z", "&n;");
    doctype.insert(doctype.find('\n') + 1, "<!DOCTYPE gpx [<!ENTITY n \"Run\">]>\n");
    spit(dir / "doctype.gpx", doctype);
    // Schema-valid (a name is any string), but a text no track name needs.
    spit(dir / "long-name.gpx", small_gpx("Z", std::string(5000, 'n')));
    spit(dir / "line\nbreak.gpx", small_gpx("Z"));
    for (const char* file : {"doctype.gpx", "long-name.gpx"}) {
        const auto scan = run_cli("scan --no-cache '" + (dir / file).string() + "'");
        EXPECT_NE(scan.exit_code, 0) << file << ": " << scan.err;
        EXPECT_NE(scan.err.find("rejected: "), std::string::npos) << file << ": " << scan.err;
        const auto v = run_cli("validate '" + (dir / file).string() + "'");
        EXPECT_EQ(v.exit_code, 1) << file << ": " << v.out;
        EXPECT_EQ(v.out.find(": valid"), std::string::npos) << file << ": " << v.out;
        EXPECT_EQ(v.err, "") << file; // nothing from libxml2 on the terminal
    }
    const auto named = run_cli("validate '" + (dir / "line\nbreak.gpx").string() + "'");
    EXPECT_EQ(named.exit_code, 0) << named.out;
    EXPECT_NE(named.out.find("line\\x0Abreak.gpx: valid"), std::string::npos) << named.out;
    fs::remove_all(dir);
}

TEST(HostileFolders, AnUnreadableFolderIsReportedAndTheRestRead) {
    const auto dir = scratch("unreadable");
    fs::create_directories(dir / "in/ok");
    fs::create_directories(dir / "in/locked");
    spit(dir / "in/ok/a.gpx", small_gpx("Z"));
    spit(dir / "in/locked/b.gpx", small_gpx("Z", "Hill"));
    fs::permissions(dir / "in/locked", fs::perms::none);
    // root reads any folder: the scan then runs as nobody.
    const std::string as =
        ::geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "";
    const std::string out = test::run_cli_shell(as + std::string(US_CLI) + " scan --no-cache '" +
                                                (dir / "in").string() + "' 2>&1; echo \"exit $?\"");
    fs::permissions(dir / "in/locked", fs::perms::owner_all);
    EXPECT_NE(out.find("in/locked: cannot list folder: Permission denied"), std::string::npos)
        << out;
    EXPECT_NE(out.find("in/ok/a.gpx"), std::string::npos) << out;
    EXPECT_NE(out.find("exit 1"), std::string::npos) << out;
    fs::remove_all(dir);
}

} // namespace
} // namespace ultrastrength
