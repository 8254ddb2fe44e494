// `validate` for TCX and GPX: the official XSDs in schemas/, offline.
#include "converters/xml/xml_validate.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace ultrastrength {
namespace {

const std::string corpus_dir = US_CORPUS_DIR;
const std::string schemas_dir = std::string(US_SOURCE_DIR) + "/schemas";

std::vector<std::uint8_t> head_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::vector<std::uint8_t> head(4096);
    in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    return head;
}

ValidationReport validate(const std::string& path) {
    return validate_tcx_gpx(path, head_of(path), schemas_dir);
}

std::string write_temp(const std::string& name, const std::string& text) {
    const auto path = std::filesystem::temp_directory_path() / ("us_validate_" + name);
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
}

TEST(XmlValidate, CorpusFilesValidPerXsdPass) {
    for (const char* name : {"tcx/gc_10kUNLP2014-Garmin15.tcx", "tcx/sportslib_run_1604524853.tcx",
                             "tcx/gpsbabel_gtrnctr-readcp.tcx", "gpx/gc_suunto_Move_2014_01_16.gpx",
                             "gpx/gpxpy_track-with-empty-segment.gpx"}) {
        SCOPED_TRACE(name);
        const ValidationReport report = validate(corpus_dir + "/" + name);
        EXPECT_TRUE(report.valid()) << (report.problems.empty() ? "" : report.problems[0].message);
    }
}

TEST(XmlValidate, EmptyTrackInSportsLibExampleIsReportedWithItsLine) {
    // Track_t requires at least one Trackpoint; this export writes empty ones.
    const ValidationReport report = validate(corpus_dir + "/tcx/sportslib_unknown_example.tcx");
    ASSERT_FALSE(report.valid());
    EXPECT_EQ(report.problems[0].line, 12U);
    EXPECT_NE(report.problems[0].message.find("Expected is ( {http://www.garmin.com/xmlschemas/"
                                              "TrainingCenterDatabase/v2}Trackpoint )"),
              std::string::npos)
        << report.problems[0].message;
}

TEST(XmlValidate, MissingIdIsReportedWithLineAndWhatWasExpected) {
    const std::string path = write_temp("missing_id.tcx", R"(<?xml version="1.0"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">
 <Activities>
  <Activity Sport="Running">
   <Lap StartTime="2020-01-01T10:00:00Z"><TotalTimeSeconds>1</TotalTimeSeconds></Lap>
  </Activity>
 </Activities>
</TrainingCenterDatabase>
)");
    const ValidationReport report = validate(path);
    ASSERT_FALSE(report.valid());
    EXPECT_EQ(report.problems[0].line, 5U);
    EXPECT_EQ(report.problems[0].message,
              "Element '{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}Lap': This "
              "element is not "
              "expected. Expected is ( "
              "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}Id ).");
    std::filesystem::remove(path);
}

TEST(XmlValidate, HeartRateOutOfRangeInTrackPointExtensionIsChecked) {
    const std::string path = write_temp("bad_hr.gpx", R"(<?xml version="1.0"?>
<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"
 xmlns:tp="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">
<trk><trkseg><trkpt lat="46" lon="14"><extensions><tp:TrackPointExtension>
<tp:hr>0</tp:hr></tp:TrackPointExtension></extensions></trkpt></trkseg></trk></gpx>
)");
    const ValidationReport report = validate(path);
    ASSERT_EQ(report.problems.size(), 1U);
    EXPECT_EQ(report.problems[0].line, 5U);
    EXPECT_NE(report.problems[0].message.find("TrackPointExtension/v1}hr': [facet 'minInclusive']"),
              std::string::npos)
        << report.problems[0].message;
    std::filesystem::remove(path);
}

/// Runs the CLI through the shell with `environment` ("NAME=value " or "");
/// returns its exit status and output.
std::pair<int, std::string> run_cli(const std::string& environment, const std::string& arguments) {
    const std::string command = environment + std::string(US_CLI) + " " + arguments + " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return {-1, {}};
    }
    std::string output;
    std::array<char, 4096> buffer{};
    while (const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) {
        output.append(buffer.data(), n);
    }
    const int status = pclose(pipe);
    return {WEXITSTATUS(status), output};
}

TEST(XmlValidate, SchemasFolderFromTheEnvironment) {
    const auto empty = std::filesystem::temp_directory_path() / "us_validate_no_schemas";
    std::filesystem::create_directories(empty);
    const std::string file = corpus_dir + "/tcx/gc_10kUNLP2014-Garmin15.tcx";
    const auto [status, output] =
        run_cli("ULTRASTRENGTH_SCHEMAS=" + empty.string() + " ", "validate " + file);
    EXPECT_EQ(status, 1);
    EXPECT_EQ(output, file + ": cannot validate: schema " + empty.string() +
                          "/TrainingCenterDatabasev2.xsd is not installed (see schemas/SOURCES.md; "
                          "ULTRASTRENGTH_SCHEMAS names another folder)\n");
    std::filesystem::remove(empty);
}

TEST(XmlValidate, CommandPrintsFileLineAndExitsOne) {
    const std::string bad = corpus_dir + "/tcx/sportslib_unknown_example.tcx";
    const std::string good = corpus_dir + "/tcx/gc_10kUNLP2014-Garmin15.tcx";
    const auto [status, output] = run_cli("", "validate " + good + " " + bad);
    EXPECT_EQ(status, 1);
    EXPECT_NE(output.find(good + ": valid (TrainingCenterDatabasev2.xsd"), std::string::npos)
        << output;
    EXPECT_NE(
        output.find(
            bad +
            ":12: Element '{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}Track'"),
        std::string::npos)
        << output;
    const auto [status_good, output_good] = run_cli("", "validate --quiet " + good);
    EXPECT_EQ(status_good, 0);
    EXPECT_EQ(output_good, "");
}

} // namespace
} // namespace ultrastrength
