// The FIT reader against the real files of the shared corpus and the values
// independent decoders found in them (expected.json: Garmin's FIT SDK, and
// fit-file-parser where the SDK fails), plus the bad files of corpus/bad/ with
// what specs/input-formats.md §1 says about each.
#include "converters/fit/fit_reader.hpp"
#include "converters/fit/fit_validate.hpp"
#include "converters/scan.hpp"
#include "converters/stream.hpp"
#include "model/time.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <string>
#include <vector>

namespace ultrastrength {
namespace {

using nlohmann::json;

const json& expected() {
    static const json data = [] {
        std::ifstream in(std::string(US_CORPUS_DIR) + "/expected.json");
        return json::parse(in);
    }();
    return data;
}

std::string path_of(const std::string& key) {
    return std::string(US_CORPUS_DIR) + "/" + key;
}

ReadResult read_file(const std::string& key) {
    FileStream stream(path_of(key));
    return make_fit_reader()->read(stream, path_of(key));
}

/// The single FIT member of a .gz/.zip corpus file, through the archive layer
/// as `scan` reads it.
ReadResult read_container_member(const std::string& key) {
    ReaderRegistry registry;
    register_all(registry);
    FileStream stream(path_of(key));
    ReadResult result;
    for (auto& outcome : decode_input(registry, stream, path_of(key))) {
        for (auto& activity : outcome.activities) {
            result.activities.push_back(std::move(activity));
        }
        if (outcome.kind == InputOutcome::Kind::skipped) {
            result.skipped = outcome.message;
        }
    }
    return result;
}

/// "lapSwimming" -> "lap_swimming": the SDK's names vs the profile's.
std::string snake(const std::string& camel) {
    std::string out;
    for (const char c : camel) {
        if (std::isupper(static_cast<unsigned char>(c)) != 0) {
            out += '_';
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else {
            out += c;
        }
    }
    return out;
}

/// Our sport for the SDK's sport/sub_sport names, by the rules of the reader's contract.
Sport expected_sport(const json& sport, const json& sub) {
    const std::string s = sport.is_string() ? sport.get<std::string>() : "";
    const std::string ss = sub.is_string() ? sub.get<std::string>() : "";
    if (s == "running") {
        if (ss == "trail")
            return Sport::trail_running;
        if (ss == "treadmill")
            return Sport::treadmill_running;
        return Sport::running;
    }
    if (s == "hiking")
        return Sport::hiking;
    if (s == "walking")
        return Sport::walking;
    if (s == "cycling" || s == "eBiking")
        return Sport::cycling;
    if (s == "swimming")
        return Sport::swimming;
    if (s == "training" && ss == "strengthTraining")
        return Sport::strength;
    return Sport::other;
}

bool is_container(const std::string& key) {
    return key.ends_with(".gz") || key.ends_with(".zip");
}

std::vector<std::string> fit_keys(const std::string& folder) {
    std::vector<std::string> keys;
    for (const auto& [key, value] : expected()["files"].items()) {
        if (key.starts_with(folder) &&
            (value.value("format", "") == "fit" || key.ends_with(".fit") ||
             key.ends_with(".fit.gz") || key.ends_with(".fit.zip") ||
             (folder == "fit/" && is_container(key)))) {
            keys.push_back(key);
        }
    }
    return keys;
}

std::string test_name(const testing::TestParamInfo<std::string>& info) {
    std::string name = info.param.substr(info.param.find('/') + 1);
    std::replace_if(
        name.begin(), name.end(),
        [](char c) { return std::isalnum(static_cast<unsigned char>(c)) == 0; }, '_');
    return name;
}

/// Compares one activity with one session summary of a reference decoder.
void expect_session(const ActivityFeatures& a, const json& s, bool has_sub_sport) {
    if (s["start_time"].is_string()) {
        const auto start = parse_iso8601(s["start_time"].get<std::string>());
        ASSERT_TRUE(start.has_value());
        ASSERT_TRUE(a.start_utc.has_value());
        EXPECT_EQ(*a.start_utc, static_cast<std::int64_t>(*start));
    }
    EXPECT_EQ(a.sport, expected_sport(s["sport"], has_sub_sport ? s["sub_sport"] : json()))
        << "sport " << s["sport"] << " sub_sport " << (has_sub_sport ? s["sub_sport"] : json());
    if (has_sub_sport && s["sub_sport"].is_string()) {
        EXPECT_EQ(a.sub_sport, snake(s["sub_sport"].get<std::string>()));
    }
    if (s["total_elapsed_time"].is_number()) {
        ASSERT_TRUE(a.elapsed_s.has_value());
        EXPECT_NEAR(*a.elapsed_s, s["total_elapsed_time"].get<double>(), 1.0);
    }
    if (s["total_timer_time"].is_number()) {
        ASSERT_TRUE(a.timer_s.has_value());
        const double timer = s["total_timer_time"].get<double>();
        if (s["total_elapsed_time"].is_number() &&
            timer > s["total_elapsed_time"].get<double>() + 1.0) {
            // input-formats.md §1.6: an absurd timer (> elapsed) is clamped and flagged.
            EXPECT_NEAR(*a.timer_s, s["total_elapsed_time"].get<double>(), 1.0);
            EXPECT_TRUE(a.has(Flag::timer_clamped));
        } else {
            EXPECT_NEAR(*a.timer_s, timer, 1.0);
        }
    }
    if (s["total_distance"].is_number()) {
        const double d = s["total_distance"].get<double>();
        ASSERT_TRUE(a.distance_m.has_value());
        EXPECT_NEAR(*a.distance_m, d, std::max(d * 0.001, 0.01));
    }
    if (s.contains("total_ascent") && s["total_ascent"].is_number()) {
        ASSERT_TRUE(a.ascent_m.has_value());
        EXPECT_EQ(*a.ascent_m, s["total_ascent"].get<double>());
    }
    if (s["avg_heart_rate"].is_number()) {
        ASSERT_TRUE(a.avg_hr.has_value());
        EXPECT_EQ(*a.avg_hr, s["avg_heart_rate"].get<double>());
    }
    if (s.contains("max_heart_rate") && s["max_heart_rate"].is_number()) {
        ASSERT_TRUE(a.max_hr.has_value());
        EXPECT_EQ(*a.max_hr, s["max_heart_rate"].get<double>());
    }
}

std::uint64_t total_records(const ReadResult& r) {
    std::uint64_t n = 0;
    for (const auto& a : r.activities) {
        n += a.records;
    }
    return n;
}

// ---------------------------------------------------------------------------
// corpus/fit: every file agrees with Garmin's SDK (or fit-file-parser where the SDK fails)

class FitCorpus : public testing::TestWithParam<std::string> {};

TEST_P(FitCorpus, MatchesReferenceDecoders) {
    const std::string& key = GetParam();
    const bool container = is_container(key);
    // A container holds one FIT member here; its values are under members[0].
    const json& e = container ? expected()["files"][key]["members"][0] : expected()["files"][key];
    const ReadResult r = container ? read_container_member(key) : read_file(key);
    if (!e["is_activity_file"].get<bool>()) {
        const std::string type = snake(e["file_type"].get<std::string>());
        EXPECT_TRUE(r.activities.empty());
        EXPECT_EQ(r.skipped, "FIT file type " + type + ", not an activity");
        return;
    }
    EXPECT_TRUE(r.skipped.empty());
    const json& sdk = e["fitsdk"];
    const bool sdk_failed = !sdk["errors"].empty();
    const json& sessions = sdk_failed ? e["fit_file_parser"]["sessions"] : sdk["sessions"];
    const std::uint64_t records = sdk_failed ? e["fit_file_parser"]["records"].get<std::uint64_t>()
                                             : sdk["records"].get<std::uint64_t>();

    EXPECT_EQ(total_records(r), records);
    if (sessions.empty()) {
        ASSERT_EQ(r.activities.size(), 1U);
        EXPECT_TRUE(r.activities[0].has(Flag::no_summary));
        return;
    }
    ASSERT_EQ(r.activities.size(), sessions.size());
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        SCOPED_TRACE("session " + std::to_string(i));
        expect_session(r.activities[i], sessions[i], !sdk_failed);
        EXPECT_EQ(r.activities[i].has(Flag::multisport), sessions.size() > 1);
        EXPECT_FALSE(r.activities[i].has(Flag::crc_mismatch));
        EXPECT_FALSE(r.activities[i].has(Flag::truncated));
        EXPECT_FALSE(r.activities[i].has(Flag::desynchronized));
    }
    if (container) {
        return; // validate_fit takes FIT bytes, not archives
    }
    // The structural walker's CRC verdict per chained part is what validate reports.
    FileStream stream(path_of(key));
    EXPECT_EQ(validate_fit(stream, key), std::vector<std::string>{});
}

INSTANTIATE_TEST_SUITE_P(Corpus, FitCorpus, testing::ValuesIn(fit_keys("fit/")), test_name);

TEST(FitCorpusFacts, CompressedTimestampsAreRelativeTime) {
    // §1.6: a Forerunner 70 file whose clock starts at power-up (1990 dates).
    const ReadResult r = read_file("fit/fitparse_compressed-speed-distance.fit");
    ASSERT_EQ(r.activities.size(), 1U);
    EXPECT_TRUE(r.activities[0].has(Flag::relative_time));
    EXPECT_EQ(r.activities[0].records, 755U);
}

TEST(FitCorpusFacts, TreadmillAndTrailSubSports) {
    EXPECT_EQ(read_file("fit/sportslib_run_6860622783.fit").activities.at(0).sport,
              Sport::treadmill_running);
    EXPECT_EQ(read_file("fit/sportslib_run_6909950168.fit").activities.at(0).sport,
              Sport::trail_running);
}

TEST(FitCorpusFacts, TrainingStressScoreFromSession) {
    // §1.10: the Suunto ultra carries training_stress_score = 301.5.
    const ReadResult r = read_file("fit/sportslib_run_6914448270.fit");
    ASSERT_EQ(r.activities.size(), 1U);
    ASSERT_TRUE(r.activities[0].device_tss.has_value());
    EXPECT_DOUBLE_EQ(*r.activities[0].device_tss, 301.5);
}

// ---------------------------------------------------------------------------
// corpus/bad: each file's fate, as §1.2, §1.8 and §1.9 describe it

const ActivityFeatures& only_activity(const ReadResult& r) {
    EXPECT_EQ(r.activities.size(), 1U);
    return r.activities.at(0);
}

bool has_warning(const ReadResult& r, const std::string& text) {
    return std::any_of(r.warnings.begin(), r.warnings.end(),
                       [&](const std::string& w) { return w.find(text) != std::string::npos; });
}

TEST(FitBad, FileCrcMismatchKeepsTheData) {
    const ReadResult r = read_file("bad/fitparse_bad_activity-filecrc.fit");
    const ActivityFeatures& a = only_activity(r);
    EXPECT_TRUE(a.has(Flag::crc_mismatch));
    expect_session(
        a, expected()["files"]["bad/fitparse_bad_activity-filecrc.fit"]["fitsdk"]["sessions"][0],
        true);
    EXPECT_TRUE(has_warning(r, "byte 769: file CRC 0xB1D5 does not match computed 0xA1D5"));
}

TEST(FitBad, CorruptSecondHeaderIsTrailingGarbage) {
    const ReadResult r = read_file("bad/fitparse_bad_activity-settings-corruptheader.fit");
    const ActivityFeatures& a = only_activity(r);
    EXPECT_TRUE(a.has(Flag::trailing_garbage));
    EXPECT_FALSE(a.has(Flag::crc_mismatch));
    EXPECT_EQ(a.records, 14U);
    EXPECT_TRUE(has_warning(
        r, "byte 771: ignored the bytes after FIT part 1: expected FIT signature \".FIT\" at "
           "header bytes 8-11, found \".GIT\""));
}

TEST(FitBad, UnexpectedEofKeepsWholeRecords) {
    const ReadResult r = read_file("bad/fitparse_bad_activity-unexpected-eof.fit");
    const ActivityFeatures& a = only_activity(r);
    EXPECT_TRUE(a.has(Flag::truncated));
    EXPECT_EQ(a.records, 14U);
    EXPECT_TRUE(has_warning(r, "expected a message of 18 bytes, found the end of the input"));
}

TEST(FitBad, DeveloperDataWithoutApplicationIdIsFine) {
    const ReadResult r = read_file("bad/fitparse_elemnt-bolt-no-application-id.fit");
    const ActivityFeatures& a = only_activity(r);
    expect_session(a,
                   expected()["files"]["bad/fitparse_elemnt-bolt-no-application-id.fit"]["fitsdk"]
                             ["sessions"][0],
                   true);
    EXPECT_TRUE(r.warnings.empty());
}

TEST(FitBad, OverrunningLastRecordIsTruncationWithoutSummary) {
    const ReadResult r = read_file("bad/fitparse_nick-overrun.fit");
    const ActivityFeatures& a = only_activity(r);
    EXPECT_TRUE(a.has(Flag::truncated));
    EXPECT_TRUE(a.has(Flag::no_summary));
    EXPECT_EQ(a.records, 14391U);
    ASSERT_TRUE(a.start_utc.has_value());
    EXPECT_EQ(format_utc(*a.start_utc), "2020-09-12T12:23:38Z");
    EXPECT_TRUE(has_warning(r, "overruns the data section, which ends at byte 403454"));
}

TEST(FitBad, StravaTruncatedDesynchronisesButKeepsItsSession) {
    // §1.9: session written first (running, 3558 s, 11274.04 m); 473 records before byte 7471.
    const ReadResult r = read_file("bad/fitparse_strava-android-app-truncated.fit");
    const ActivityFeatures& a = only_activity(r);
    EXPECT_TRUE(a.has(Flag::desynchronized));
    EXPECT_EQ(a.sport, Sport::running);
    EXPECT_NEAR(*a.elapsed_s, 3558, 1);
    EXPECT_NEAR(*a.distance_m, 11274.04, 0.01);
    EXPECT_EQ(a.records, 473U);
    EXPECT_TRUE(has_warning(
        r, "byte 7471: record header 0x3B uses local message type 11, which has no definition"));
}

TEST(FitBad, BadArchitectureByteDesynchronises) {
    // §1.4: byte 0xE5 at 0x56D3.
    const ReadResult r = read_file("bad/gpsbabel_lezyne-bad-arch-byte.fit");
    const ActivityFeatures& a = only_activity(r);
    EXPECT_TRUE(a.has(Flag::desynchronized));
    EXPECT_EQ(a.sport, Sport::cycling);
    EXPECT_TRUE(has_warning(
        r, "byte 22227: definition architecture byte 0xE5 is neither 0 (little-endian) nor 1"));
}

TEST(FitBad, NoFileIdIsStillAnActivity) {
    const ReadResult r = read_file("bad/sportslib_broken-dates.fit");
    const ActivityFeatures& a = only_activity(r);
    expect_session(
        a, expected()["files"]["bad/sportslib_broken-dates.fit"]["fitsdk"]["sessions"][0], true);
    EXPECT_FALSE(a.timer_s.has_value());
}

TEST(FitBad, BrokenStartPositionReadsNormally) {
    const ReadResult r = read_file("bad/sportslib_broken-start-latlng.fit");
    expect_session(
        only_activity(r),
        expected()["files"]["bad/sportslib_broken-start-latlng.fit"]["fitsdk"]["sessions"][0],
        true);
}

TEST(FitBad, EmptyActivitiesIsAReadError) {
    const std::string path = path_of("bad/sportslib_empty-activities.fit");
    try {
        read_file("bad/sportslib_empty-activities.fit");
        FAIL() << "expected a ReadError";
    } catch (const ReadError& error) {
        EXPECT_EQ(std::string(error.what()),
                  path + ": byte 12: file CRC 0x0040 does not match computed 0x29D8");
        EXPECT_EQ(error.where().byte_offset, 12U);
    }
}

TEST(FitBad, UnterminatedStringsAreSkipped) {
    const ReadResult r = read_file("bad/tormoder_unterminated-strings.fit");
    expect_session(
        only_activity(r),
        expected()["files"]["bad/tormoder_unterminated-strings.fit"]["fitsdk"]["sessions"][0],
        true);
}

TEST(FitBad, EveryBadFitFileIsCovered) {
    // A new file in corpus/bad must get its own test above.
    const std::vector<std::string> covered = {
        "bad/fitparse_bad_activity-filecrc.fit",
        "bad/fitparse_bad_activity-settings-corruptheader.fit",
        "bad/fitparse_bad_activity-unexpected-eof.fit",
        "bad/fitparse_elemnt-bolt-no-application-id.fit",
        "bad/fitparse_nick-overrun.fit",
        "bad/fitparse_strava-android-app-truncated.fit",
        "bad/gpsbabel_lezyne-bad-arch-byte.fit",
        "bad/sportslib_broken-dates.fit",
        "bad/sportslib_broken-start-latlng.fit",
        "bad/sportslib_empty-activities.fit",
        "bad/tormoder_unterminated-strings.fit",
    };
    for (const std::string& key : fit_keys("bad/")) {
        EXPECT_NE(std::find(covered.begin(), covered.end(), key), covered.end()) << key;
    }
}

// ---------------------------------------------------------------------------
// validate_fit on the bad files: one "file: byte N: ..." line per problem

std::vector<std::string> validate(const std::string& key) {
    FileStream stream(path_of(key));
    return validate_fit(stream, key);
}

TEST(FitValidate, BadFiles) {
    EXPECT_EQ(validate("bad/fitparse_bad_activity-filecrc.fit"),
              std::vector<std::string>{"bad/fitparse_bad_activity-filecrc.fit: byte 769: file CRC "
                                       "0xB1D5 does not match computed 0xA1D5"});
    EXPECT_EQ(validate("bad/fitparse_bad_activity-settings-corruptheader.fit"),
              std::vector<std::string>{
                  "bad/fitparse_bad_activity-settings-corruptheader.fit: byte 771: expected "
                  "another chained FIT part or the end of the input: FIT signature \".FIT\" at "
                  "header bytes 8-11, found \".GIT\""});
    EXPECT_EQ(validate("bad/gpsbabel_lezyne-bad-arch-byte.fit").at(0),
              "bad/gpsbabel_lezyne-bad-arch-byte.fit: byte 22227: definition architecture byte "
              "0xE5 is neither 0 "
              "(little-endian) nor 1 (big-endian)");
    EXPECT_EQ(validate("bad/fitparse_strava-android-app-truncated.fit").at(0),
              "bad/fitparse_strava-android-app-truncated.fit: byte 7471: record header 0x3B uses "
              "local message type "
              "11, which has no definition");
    EXPECT_EQ(validate("bad/fitparse_nick-overrun.fit").at(0),
              "bad/fitparse_nick-overrun.fit: byte 403437: message of 28 bytes overruns the data "
              "section, which ends "
              "at byte 403454");
    const auto eof = validate("bad/fitparse_bad_activity-unexpected-eof.fit");
    ASSERT_FALSE(eof.empty());
    EXPECT_NE(eof[0].find("found the end of the input"), std::string::npos) << eof[0];
    EXPECT_TRUE(validate("bad/fitparse_elemnt-bolt-no-application-id.fit").empty());
    EXPECT_TRUE(validate("bad/tormoder_unterminated-strings.fit").empty());
}

} // namespace
} // namespace ultrastrength
