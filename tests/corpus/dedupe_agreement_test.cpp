// `scan` and `analyze` name the same duplicates (input-formats.md §4.3): the
// history's de-duplication uses the scan's rule (converters/dedupe.hpp), so
// the copies the scan moves out of a set of inputs are exactly the ones the
// history drops when it is given every copy. Checked on every test export:
// the corpus folders (FIT, GPX and TCX recordings of the same runs among
// them), the real watch history, and the sample athletes.
#include "converters/dedupe.hpp"
#include "converters/scan.hpp"
#include "history/history.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace ultrastrength {
namespace {

namespace fs = std::filesystem;

const std::string corpus = US_CORPUS_DIR;
const std::string source_dir = US_SOURCE_DIR;

std::vector<InputOutcome> scan_all(const std::vector<std::string>& inputs, bool dedupe) {
    ReaderRegistry registry;
    register_all(registry);
    ScanOptions options;
    options.jobs = 2;
    options.dedupe = dedupe;
    return scan_inputs(registry, inputs, options);
}

/// Whether the history's de-duplication looks at the activity at all (it
/// drops other sports, and activities without a start or a duration, first).
bool history_dedupes(const ActivityFeatures& a) {
    const bool kept_sport = is_running(a.sport) || a.sport == Sport::hiking ||
                            a.sport == Sport::walking || a.sport == Sport::strength;
    const bool has_duration = (a.moving_s && *a.moving_s > 0) || (a.timer_s && *a.timer_s > 0) ||
                              (a.elapsed_s && *a.elapsed_s > 0);
    return kept_sport && a.start_utc && has_duration;
}

/// Returns how many duplicates both found.
std::size_t expect_same_duplicates(const std::vector<std::string>& inputs) {
    std::set<std::string> by_scan;
    std::size_t scanned = 0;
    for (const auto& outcome : scan_all(inputs, true)) {
        scanned += outcome.activities.size() + outcome.duplicates.size();
        for (const auto& d : outcome.duplicates) {
            if (history_dedupes(d.activity)) {
                by_scan.insert(d.activity.source);
            }
        }
    }
    HistoryInput input;
    for (auto& outcome : scan_all(inputs, false)) {
        for (auto& a : outcome.activities) {
            input.activities.push_back(std::move(a));
        }
    }
    EXPECT_EQ(input.activities.size(), scanned) << "both scans read the same activities";
    const History h = build_history(input);
    std::set<std::string> by_history;
    for (const auto& e : h.excluded) {
        if (e.reason.rfind("duplicate of ", 0) == 0) {
            by_history.insert(e.source);
        }
    }
    EXPECT_EQ(by_scan, by_history);
    return by_scan.size();
}

// Three recordings of one run, each overlapping the next by more than half
// but the first and the last by less: one activity, recorded three times.
// Both keep only the FIT (the scan once grouped the chain while the history
// compared pairs and kept the TCX too).
TEST(DedupeAgreement, AChainOfCopiesIsOneActivityForBoth) {
    const std::int64_t t0 = 1700000000;
    const auto copy = [&](const char* source, Format format, std::int64_t offset_s) {
        ActivityFeatures a;
        a.source = source;
        a.format = format;
        a.sport = Sport::running;
        a.start_utc = t0 + offset_s;
        a.elapsed_s = 3600;
        a.distance_m = 10000;
        a.records = 3600;
        return a;
    };
    const std::vector<ActivityFeatures> copies = {copy("watch.fit", Format::fit, 0),
                                                  copy("phone.gpx", Format::gpx, 1000),
                                                  copy("late.tcx", Format::tcx, 2000)};
    ASSERT_TRUE(same_activity(copies[0], copies[1]));
    ASSERT_TRUE(same_activity(copies[1], copies[2]));
    ASSERT_FALSE(same_activity(copies[0], copies[2]));

    std::vector<InputOutcome> outcomes;
    for (const auto& a : copies) {
        InputOutcome o;
        o.source = a.source;
        o.kind = InputOutcome::Kind::read;
        o.activities.push_back(a);
        outcomes.push_back(std::move(o));
    }
    EXPECT_EQ(mark_duplicates(outcomes), 2u);
    std::set<std::string> by_scan;
    for (const auto& o : outcomes) {
        for (const auto& d : o.duplicates) {
            by_scan.insert(d.activity.source);
            EXPECT_EQ(d.duplicate_of, "watch.fit");
        }
    }
    HistoryInput input;
    input.activities = copies;
    const History h = build_history(input);
    std::set<std::string> by_history;
    for (const auto& e : h.excluded) {
        by_history.insert(e.source);
        EXPECT_EQ(e.reason, "duplicate of watch.fit");
    }
    EXPECT_EQ(by_scan, (std::set<std::string>{"phone.gpx", "late.tcx"}));
    EXPECT_EQ(by_history, by_scan);
    ASSERT_EQ(h.sessions.size(), 1u);
    EXPECT_EQ(h.sessions[0].source, "watch.fit");
}

TEST(DedupeAgreement, CorpusRecordingsInEveryFormat) {
    // The same runs recorded as FIT, converted to GPX and TCX: many duplicates.
    EXPECT_GT(expect_same_duplicates({corpus + "/fit", corpus + "/gpx", corpus + "/tcx"}), 0u);
}

TEST(DedupeAgreement, RealWatchHistory) {
    expect_same_duplicates({corpus + "/history"});
}

TEST(DedupeAgreement, EveryTestFileAtOnce) {
    // All of tests/data in one set, damaged files included: copies across folders count too.
    EXPECT_GT(expect_same_duplicates({corpus}), 0u);
}

TEST(DedupeAgreement, SampleAthletes) {
    std::vector<std::string> athletes = {source_dir + "/samples/athlete"};
    for (const auto& entry : fs::directory_iterator(source_dir + "/samples/roster")) {
        if (entry.is_directory()) {
            athletes.push_back(entry.path().string());
        }
    }
    for (const auto& athlete : athletes) {
        SCOPED_TRACE(athlete);
        expect_same_duplicates({athlete});
    }
}

} // namespace
} // namespace ultrastrength
