// A new input format and a new output target, added where CONTRIBUTING.md says
// ("Adding an input format, an output target or a command"), here inside one
// test: each is one class and one `add` line. For a format of the project the
// places are: (1) its files, `converters/<format>/` with its CMakeLists.txt
// (this file's TextLogReader), (2) one register line in converters/register.cpp
// (here: default_readers().add), (3) the parent's add_subdirectory, (4) its
// tests. A target likewise: `plugins/<target>/`, one line in
// plugins/register.cpp, add_subdirectory, tests. Nothing else names formats:
// `formats`, `plan --help`, `validate`, the feature cache, the duplicate rule
// and the scan's output take them from the registries. A reader picks a
// Format value of its own (model/activity.hpp); the built-in values are named
// in the enum only for the readers' own use.
//
// Then the real pipeline runs on files of the new format and writes the new
// target: scan, history, phases, plan, files.
#include "cli/command.hpp"
#include "converters/reader.hpp"
#include "model/time.hpp"
#include "pipeline/analyze_athlete.hpp"
#include "pipeline/plan_athlete.hpp"
#include "plugins/writer.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <tuple>
#include <vector>

namespace ultrastrength {
namespace {

namespace fs = std::filesystem;

/// "TEXTLOG 1" then one activity per line: start (ISO 8601 UTC), sport
/// ("run" or "strength"), seconds, metres.
constexpr Format textlog_format = static_cast<Format>(0x40);

class TextLogReader final : public Reader {
public:
    std::string_view name() const noexcept override { return "textlog"; }
    std::string_view description() const noexcept override {
        return "a test's one-line-per-activity log";
    }
    std::string_view extensions() const noexcept override { return ".log"; }
    Format format() const noexcept override { return textlog_format; }

    int identify(std::span<const std::uint8_t> head,
                 std::string_view /*file_name*/) const noexcept override {
        constexpr std::string_view magic = "TEXTLOG 1\n";
        return head.size() >= magic.size() && std::memcmp(head.data(), magic.data(), 10) == 0 ? 100
                                                                                              : 0;
    }

    ReadResult read(ByteStream& in, const std::string& source) const override {
        std::string text;
        std::uint8_t buffer[4096];
        while (const std::size_t n = in.read(buffer, sizeof buffer)) {
            text.append(reinterpret_cast<const char*>(buffer), n);
        }
        ReadResult out;
        std::istringstream lines(text);
        std::string line;
        std::getline(lines, line); // the magic
        std::uint64_t number = 1;
        while (std::getline(lines, line)) {
            ++number;
            std::istringstream fields(line);
            std::string start;
            std::string sport;
            double seconds = 0;
            double metres = 0;
            if (!(fields >> start >> sport >> seconds >> metres) || !parse_iso8601(start)) {
                throw ReadError(source, {std::nullopt, number}, "expected START SPORT S M");
            }
            ActivityFeatures a;
            a.source = source;
            a.format = textlog_format;
            a.sport = sport == "run" ? Sport::running : Sport::strength;
            a.start_utc = static_cast<std::int64_t>(*parse_iso8601(start));
            a.elapsed_s = a.timer_s = a.moving_s = seconds;
            a.distance_m = metres;
            out.activities.push_back(std::move(a));
        }
        return out;
    }
};

/// One line per planned session: "DATE KIND MINUTES".
class SessionListWriter final : public Writer {
public:
    std::string_view name() const noexcept override { return "session-list"; }
    std::string_view description() const noexcept override {
        return "a test's list of planned sessions";
    }
    std::string_view extension() const noexcept override { return ".lst"; }
    void write(const Plan& plan, const WriteOptions& /*options*/, OutputSink& sink) const override {
        std::string text;
        for (const PlanSession& s : plan.sessions) {
            text += format_date(s.date) + ' ' + s.kind + ' ' + std::to_string(s.estimated_minutes) +
                    '\n';
        }
        sink.put("session-list/" + plan.athlete_id + ".lst", text);
    }
};

/// Twelve weeks of a runner's log: runs on Tuesday, Thursday, Saturday
/// (long) and Sunday, strength on Wednesday.
std::string twelve_weeks() {
    std::string text = "TEXTLOG 1\n";
    const std::int64_t first_monday = days_from_civil({2024, 3, 4});
    for (int week = 0; week < 12; ++week) {
        for (const auto& [weekday, sport, minutes, km] :
             std::vector<std::tuple<int, const char*, int, int>>{{1, "run", 50, 9},
                                                                 {2, "strength", 40, 0},
                                                                 {3, "run", 55, 10},
                                                                 {5, "run", 120, 21},
                                                                 {6, "run", 45, 8}}) {
            const std::int64_t day = first_monday + week * 7 + weekday;
            text += format_utc(day * 86400 + 6 * 3600) + ' ' + sport + ' ' +
                    std::to_string(minutes * 60) + ' ' + std::to_string(km * 1000) + '\n';
        }
    }
    return text;
}

TEST(Extension, ANewFormatAndTargetRunThroughThePipeline) {
    // The two `add` lines: everything else is the registries'.
    default_readers().add(std::make_unique<TextLogReader>());
    default_writers().add(std::make_unique<SessionListWriter>());

    test::TempDir tmp;
    fs::create_directories(tmp.path / "logs");
    std::ofstream(tmp.path / "logs" / "spring.log", std::ios::binary) << twelve_weeks();
    std::ofstream(tmp.path / "logs" / "broken.log", std::ios::binary)
        << "TEXTLOG 1\nyesterday run fast far\n";

    EXPECT_EQ(format_name(textlog_format), "textlog");
    const auto names = pipeline::all_format_names();
    EXPECT_NE(std::find(names.begin(), names.end(), "session-list"), names.end());
    EXPECT_TRUE(pipeline::unknown_formats({"session-list"}).empty());
    // `formats` and `plan --help` list both from the same registries.
    const auto command = [](std::string_view name) {
        for (const cli::CommandInfo& c : cli::all_commands()) {
            if (c.name == name) {
                return c.make();
            }
        }
        throw std::logic_error("no command " + std::string(name));
    };
    const auto formats = command("formats");
    ASSERT_TRUE(formats->setup({}));
    testing::internal::CaptureStdout();
    EXPECT_EQ(formats->run(), exit_ok);
    const std::string listed = testing::internal::GetCapturedStdout();
    EXPECT_NE(listed.find("  textlog  "), std::string::npos) << listed;
    EXPECT_NE(listed.find("  session-list  "), std::string::npos) << listed;
    const std::string plan_help = command("plan")->help();
    EXPECT_NE(plan_help.find(", session-list (default: all)"), std::string::npos) << plan_help;
    // `scan --help` names it among the inputs and ranks it by its Format value.
    const std::string scan_help = command("scan")->help();
    EXPECT_NE(scan_help.find("INPUT is a FIT, TCX, GPX or TEXTLOG file"), std::string::npos)
        << scan_help;
    EXPECT_NE(scan_help.find("(FIT > TCX > GPX >\nTEXTLOG)"), std::string::npos) << scan_help;

    pipeline::PlanRequest request;
    request.inputs = {(tmp.path / "logs").string()};
    request.athlete_id = "textlog-runner";
    request.formats = {"session-list"};
    request.out_dir = tmp.path / "out";
    const pipeline::PlanOutcome outcome = pipeline::plan_athlete(request);

    // The good file's 60 activities became the history; the bad one is
    // rejected with its line, as any reader's input would be.
    ASSERT_EQ(outcome.exit_code, exit_partial) << outcome.error;
    std::string rejected;
    for (const InputOutcome& o : outcome.inputs) {
        if (o.kind == InputOutcome::Kind::rejected) {
            rejected += o.message;
        }
    }
    EXPECT_NE(rejected.find("broken.log: line 2: expected START SPORT S M"), std::string::npos)
        << rejected;
    ASSERT_FALSE(outcome.plan.sessions.empty());
    double run_km = 0;
    for (const auto& week : outcome.history.weeks) {
        run_km += week.running_km;
    }
    EXPECT_NEAR(run_km, 12 * (9 + 10 + 21 + 8), 0.01);
    EXPECT_EQ(outcome.history.sessions.size(), 48U);
    EXPECT_EQ(outcome.history.strength.size(), 12U);

    // The new target's file holds the plan's sessions, one line each.
    std::ifstream in(tmp.path / "out" / "session-list" / "textlog-runner.lst");
    ASSERT_TRUE(in) << "session-list file not written";
    std::string line;
    std::size_t lines = 0;
    while (std::getline(in, line)) {
        const PlanSession& s = outcome.plan.sessions.at(lines);
        EXPECT_EQ(line,
                  format_date(s.date) + ' ' + s.kind + ' ' + std::to_string(s.estimated_minutes));
        ++lines;
    }
    EXPECT_EQ(lines, outcome.plan.sessions.size());
    EXPECT_TRUE(fs::exists(tmp.path / "out" / "plan.json"));
}

} // namespace
} // namespace ultrastrength
