// The writer contract and the parts of each writer that need no outside tool:
// the atomic sink, determinism, file names, the FIT container bytes, ICS
// folding and escaping, CSV quoting. Decoding with Garmin's SDK, schema
// validation and strict ICS/CSV parsing are in tests/interop.
#include "fit/crc.hpp"
#include "plugins/csv/csv_writer.hpp"
#include "plugins/garmin_fit/fit_encoder.hpp"
#include "plugins/garmin_fit/garmin_fit_writer.hpp"
#include "plugins/ics/ics_writer.hpp"
#include "plugins/prescription.hpp"
#include "plugins/writer.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/sample_plans.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <span>
#include <string>
#include <thread>

namespace ultrastrength {
namespace {

namespace fs = std::filesystem;

using test::read_file;
using test::TempDir;

std::map<std::string, std::string> write_all(const Plan& plan, const WriteOptions& options = {}) {
    WriterRegistry registry;
    register_all_writers(registry);
    MemorySink sink;
    for (const auto& writer : registry.writers()) {
        writer->write(plan, options, sink);
    }
    return sink.files();
}

TEST(WriterRegistry, ListsEveryTargetOnceWithExtension) {
    WriterRegistry registry;
    register_all_writers(registry);
    std::vector<std::string> names;
    for (const auto& writer : registry.writers()) {
        names.emplace_back(writer->name());
        EXPECT_FALSE(writer->description().empty());
        EXPECT_EQ(writer->extension().front(), '.');
    }
    EXPECT_EQ(names, (std::vector<std::string>{"garmin-fit", "garmin-connect", "trainingpeaks",
                                               "ics", "csv"}));
    ASSERT_NE(registry.find("ics"), nullptr);
    EXPECT_EQ(registry.find("pwx"), nullptr);
}

TEST(FolderSink, WritesAtomicallyAndKeepsUnchangedFiles) {
    TempDir dir;
    FolderSink sink(dir.path / "out");
    sink.put("garmin-fit/a.fit", "first");
    sink.put("b.txt", "bee");
    ASSERT_EQ(read_file(dir.path / "out/garmin-fit/a.fit"), "first");
    ASSERT_EQ(sink.entries().size(), 2U);
    EXPECT_EQ(sink.entries()[0].outcome, FolderSink::Outcome::created);

    // Age the files so a rewrite would be visible in the mtime.
    const auto old_time = fs::file_time_type::clock::now() - std::chrono::hours(24);
    fs::last_write_time(dir.path / "out/garmin-fit/a.fit", old_time);
    fs::last_write_time(dir.path / "out/b.txt", old_time);

    FolderSink again(dir.path / "out");
    again.put("garmin-fit/a.fit", "first");
    again.put("b.txt", "changed");
    EXPECT_EQ(again.entries()[0].outcome, FolderSink::Outcome::unchanged);
    EXPECT_EQ(again.entries()[1].outcome, FolderSink::Outcome::updated);
    EXPECT_EQ(fs::last_write_time(dir.path / "out/garmin-fit/a.fit"), old_time);
    EXPECT_NE(fs::last_write_time(dir.path / "out/b.txt"), old_time);
    EXPECT_EQ(read_file(dir.path / "out/b.txt"), "changed");

    // No temporary file is left behind anywhere.
    int files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(dir.path / "out")) {
        if (entry.is_regular_file()) {
            ++files;
            EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos)
                << entry.path();
        }
    }
    EXPECT_EQ(files, 2);
    EXPECT_EQ(fs::status(dir.path / "out/b.txt").permissions() & fs::perms::others_read,
              fs::perms::others_read);
}

TEST(FolderSink, RejectsNamesOutsideTheFolder) {
    TempDir dir;
    FolderSink sink(dir.path);
    try {
        sink.put("../escape.fit", "x");
        FAIL() << "expected OutputError";
    } catch (const OutputError& e) {
        EXPECT_STREQ(e.what(),
                     "output name \"../escape.fit\" must not contain \".\" or \"..\" components");
    }
    try {
        sink.put("/etc/passwd", "x");
        FAIL() << "expected OutputError";
    } catch (const OutputError& e) {
        EXPECT_STREQ(e.what(), "output name \"/etc/passwd\" must be a relative path");
    }
    EXPECT_FALSE(fs::exists(dir.path.parent_path() / "escape.fit"));
}

TEST(FolderSink, RefusesToWriteOneNameTwiceInARun) {
    TempDir dir;
    FolderSink sink(dir.path);
    sink.put("garmin-fit/2026-12-01_heavy.fit", "athlete one");
    try {
        sink.put("garmin-fit/2026-12-01_heavy.fit", "athlete two");
        FAIL() << "expected OutputError";
    } catch (const OutputError& e) {
        EXPECT_STREQ(e.what(),
                     "output name \"garmin-fit/2026-12-01_heavy.fit\" written twice in one "
                     "run (give each athlete its own output folder)");
    }
    EXPECT_EQ(read_file(dir.path / "garmin-fit/2026-12-01_heavy.fit"), "athlete one");
}

TEST(FolderSink, ReportsAFolderItCannotWriteTo) {
    TempDir dir;
    std::ofstream(dir.path / "blocker") << "a file where a folder should be";
    FolderSink sink(dir.path);
    try {
        sink.put("blocker/x.fit", "x");
        FAIL() << "expected OutputError";
    } catch (const OutputError& e) {
        EXPECT_NE(
            std::string(e.what()).find((dir.path / "blocker").string() + ": cannot create folder"),
            std::string::npos)
            << e.what();
    }
}

TEST(Writers, SamePlanGivesByteIdenticalFiles) {
    WriteOptions options;
    options.trainingpeaks_athlete_id = 7; // TrainingPeaks JSON needs it
    for (const auto& plan : {test::runner_plan(), test::band_only_plan(), test::oversized_plan()}) {
        const auto first = write_all(plan, options);
        const auto second = write_all(plan, options);
        EXPECT_EQ(first, second);
        EXPECT_GE(first.size(), plan.sessions.size() * 4 + 3);
    }
}

TEST(Writers, SecondRunIntoAFolderRewritesNothing) {
    TempDir dir;
    WriterRegistry registry;
    register_all_writers(registry);
    const auto plan = test::runner_plan();
    FolderSink first(dir.path);
    for (const auto& writer : registry.writers()) {
        writer->write(plan, {}, first);
    }
    FolderSink second(dir.path);
    for (const auto& writer : registry.writers()) {
        writer->write(plan, {}, second);
    }
    ASSERT_EQ(first.entries().size(), second.entries().size());
    for (const auto& entry : second.entries()) {
        EXPECT_EQ(entry.outcome, FolderSink::Outcome::unchanged) << entry.path;
    }
}

TEST(Writers, FileNamesAreSafeOnAWatch) {
    const auto files = write_all(test::runner_plan());
    int fit_files = 0;
    for (const auto& [name, bytes] : files) {
        const auto file = fs::path(name).filename().string();
        EXPECT_LE(file.size(), 40U) << name;
        for (const char c : name) {
            const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                            c == '_' || c == '.' || c == '/';
            EXPECT_TRUE(ok) << name;
        }
        if (name.starts_with("garmin-fit/")) {
            ++fit_files;
        }
    }
    EXPECT_EQ(fit_files, 4);
    EXPECT_EQ(files.count("garmin-fit/2026-12-01_heavy-corrective.fit"), 1U);
    EXPECT_EQ(files.count("garmin-connect/schedule.json"), 1U);
    EXPECT_EQ(files.count("ics/ana-garcia.ics"), 1U);
}

TEST(Writers, SameDayAndKindGetDistinctNames) {
    auto plan = test::band_only_plan();
    plan.sessions[1].date = plan.sessions[0].date;
    const auto stems = detail::session_file_stems(plan);
    ASSERT_EQ(stems.size(), 2U);
    EXPECT_EQ(stems[0], "2026-12-08_corrective");
    EXPECT_EQ(stems[1], "2026-12-08_corrective-2");
}

TEST(FitEncoder, HeaderAndCrcsAsTheProtocolSays) {
    fit::Encoder encoder;
    encoder.add(0, {fit::Field::enumeration(0, 5), fit::Field::u16(1, 255)});
    encoder.add(0, {fit::Field::enumeration(0, 5), fit::Field::u16(1, 255)});
    const auto bytes = encoder.finish();
    // Header 14 + one definition (6 + 2*3) + two data messages (1 + 3 each) + CRC 2.
    ASSERT_EQ(bytes.size(), 14U + 12U + 8U + 2U);
    EXPECT_EQ(bytes[0], 14);
    EXPECT_EQ(bytes[1], 0x10);
    EXPECT_EQ(bytes[2] | (bytes[3] << 8), 21217);
    EXPECT_EQ(bytes[4] | (bytes[5] << 8), 20);
    EXPECT_EQ(std::string(bytes.begin() + 8, bytes.begin() + 12), ".FIT");
    const std::span<const std::uint8_t> all(bytes);
    EXPECT_EQ(fit::crc16(0, all.first(14)), 0); // header CRC covers bytes 0..11
    EXPECT_EQ(fit::crc16(0, all), 0);           // file CRC covers everything before it
    EXPECT_EQ(bytes[14], 0x40);                 // definition, local type 0
    EXPECT_EQ(bytes[26], 0x00);                 // data, local type 0
    EXPECT_EQ(bytes[30], 0x00);                 // same layout: no second definition
}

TEST(FitEncoder, StringsAreFixedWidthAndCutOnUtf8Boundaries) {
    // "Garc\u00eda" is 6 bytes; width 6 leaves 5 for text, which would split the \u00ed pair.
    const auto field = fit::Field::string(0, "Garc\u00eda", 6);
    EXPECT_EQ(field.text, "Garc");
    EXPECT_EQ(field.size, 6);
    fit::Encoder encoder;
    encoder.add(27, {field});
    const auto bytes = encoder.finish();
    const std::string payload(bytes.begin() + 14 + 9 + 1, bytes.begin() + 14 + 9 + 1 + 6);
    EXPECT_EQ(payload, std::string("Garc\0\0", 6));
}

TEST(GarminFit, OversizedSessionStaysWithinTheStepLimitAndSaysSo) {
    MemorySink sink;
    make_garmin_fit_writer()->write(test::oversized_plan(), {}, sink);
    ASSERT_EQ(sink.files().size(), 1U);
    const auto& bytes = sink.files().begin()->second;
    // workout message: num_valid_steps follows the step count; find it via the
    // writer's note instead of decoding (the interop test decodes it).
    ASSERT_EQ(sink.notes().size(), 2U);
    EXPECT_EQ(sink.notes()[0].file, "garmin-fit/2026-12-01_corrective.fit");
    EXPECT_EQ(sink.notes()[0].message,
              "rests between the exercises of a round were left out to stay within 50 steps; "
              "rest after each round as planned");
    EXPECT_TRUE(sink.notes()[1].message.starts_with("left out to stay within 50 steps"))
        << sink.notes()[1].message;
    EXPECT_GT(bytes.size(), 100U);
}

TEST(Writers, EmptyPlanWritesNoCalendarAndSaysSo) {
    Plan plan;
    plan.athlete_id = "nobody";
    MemorySink sink;
    WriterRegistry registry;
    register_all_writers(registry);
    for (const auto& writer : registry.writers()) {
        writer->write(plan, {}, sink);
    }
    EXPECT_EQ(sink.files().count("ics/nobody.ics"), 0U);
    ASSERT_EQ(sink.notes().size(), 1U);
    EXPECT_EQ(sink.notes()[0].file, "ics/nobody.ics");
    EXPECT_EQ(sink.notes()[0].message, "the plan has no sessions; no calendar written");
    // The CSV keeps its header so a spreadsheet import still sees the columns.
    EXPECT_TRUE(sink.files().at("csv/nobody.csv").starts_with("date,athlete,session_id,"));
}

TEST(GarminConnect, OversizedSessionIsFlagged) {
    MemorySink sink;
    WriterRegistry registry;
    register_all_writers(registry);
    registry.find("garmin-connect")->write(test::oversized_plan(), {}, sink);
    ASSERT_EQ(sink.notes().size(), 1U);
    // 12 repeat groups of 3 exercises and 3 rests.
    EXPECT_EQ(sink.notes()[0].message, "84 steps: Connect's editor shows at most 50 in a strength "
                                       "workout; the upload may be refused");
}

TEST(Ics, EscapesTextAsRfc5545Says) {
    EXPECT_EQ(detail::ics_escape("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
    EXPECT_EQ(detail::ics_escape(std::string("bell\a")), "bell");
}

TEST(Ics, FoldsAt75OctetsWithoutSplittingUtf8) {
    std::string line = "DESCRIPTION:";
    for (int i = 0; i < 60; ++i) {
        line += "\u00fc"; // 2 bytes each
    }
    const auto folded = detail::ics_fold(line);
    std::size_t start = 0;
    std::string unfolded;
    bool first = true;
    while (start < folded.size()) {
        const auto end = folded.find("\r\n", start);
        ASSERT_NE(end, std::string::npos);
        const auto piece = folded.substr(start, end - start);
        EXPECT_LE(piece.size(), 75U);
        if (!first) {
            ASSERT_EQ(piece.front(), ' ');
        }
        // No piece starts with a UTF-8 continuation byte.
        const std::size_t text_start = first ? 0 : 1;
        ASSERT_GT(piece.size(), text_start);
        EXPECT_NE(static_cast<unsigned char>(piece[text_start]) & 0xC0, 0x80);
        unfolded += piece.substr(text_start);
        first = false;
        start = end + 2;
    }
    EXPECT_EQ(unfolded, line);
    EXPECT_EQ(detail::ics_fold("SHORT"), "SHORT\r\n");
}

TEST(Csv, QuotesOnlyWhatRfc4180Needs) {
    EXPECT_EQ(detail::csv_field("plain"), "plain");
    EXPECT_EQ(detail::csv_field("a,b"), "\"a,b\"");
    EXPECT_EQ(detail::csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(detail::csv_field("two\nlines"), "\"two\nlines\"");
}

TEST(Prescription, ReadsAsACoachWritesIt) {
    const auto plan = test::runner_plan();
    const auto text = detail::prescription_text(plan, plan.sessions[0], WeightUnit::kilogram);
    EXPECT_NE(text.find("A  King deadlift \u2013 3 \u00d7 6/side @ 12 kg, RIR 2, rest 90 s\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("B  Goblet squat \u2013 3 \u00d7 8 @ 16 kg, 70% 1RM, RIR 2, rest 90 s\n"),
              std::string::npos)
        << text;
    EXPECT_NE(
        text.find("C  corrective, 2 rounds of:\nC1 Lateral band walk \u2013 12/side, rest 15 s\n"),
        std::string::npos)
        << text;
    EXPECT_NE(text.find("Why:\n- early phase"), std::string::npos) << text;
    const auto pounds = detail::prescription_text(plan, plan.sessions[0], WeightUnit::pound);
    EXPECT_NE(pounds.find("@ 26.5 lb"), std::string::npos) << pounds; // 12 kg = 26.46 lb
}

TEST(Prescription, DecimalsIgnoreTheLocaleAndTrimZeros) {
    EXPECT_EQ(detail::format_decimal(12.0, 2), "12");
    EXPECT_EQ(detail::format_decimal(12.5, 2), "12.5");
    EXPECT_EQ(detail::format_decimal(0.785, 2), "0.79");
    EXPECT_EQ(detail::slug("Heavy + Corrective!", 40), "heavy-corrective");
    EXPECT_EQ(detail::truncate_utf8("\u00fc\u00fc", 3), "\u00fc");
    EXPECT_EQ(detail::short_label("Rear-foot-elevated split squat (barbell)", 31),
              "Rear-foot-elevated split squat");
    EXPECT_EQ(detail::short_label("Single-Leg Banded Hip Flexion/Extension", 31),
              "Single-Leg Banded Hip");
    EXPECT_EQ(detail::short_label("Dead bug", 31), "Dead bug");
    EXPECT_EQ(detail::short_label("Mid strength: Heavy and corrective", 31), "Mid strength: Heavy");
    EXPECT_EQ(detail::short_label("Late strength: Heavy, plyometric, corrective", 31),
              "Late strength: Heavy");
    EXPECT_EQ(detail::short_label("Supercalifragilisticexpialidocious", 10), "Supercalif");
}

} // namespace
} // namespace ultrastrength
