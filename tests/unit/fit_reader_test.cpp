// The FIT reader on tiny files built byte by byte here: one protocol rule per
// test (specs/input-formats.md §1), with exact values and error texts.
#include "converters/fit/fit_reader.hpp"
#include "converters/fit/fit_validate.hpp"
#include "converters/stream.hpp"
#include "fit/crc.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace ultrastrength {
namespace {

using Bytes = std::vector<std::uint8_t>;
using FieldDef = std::array<std::uint8_t, 3>; // number, size, base type

constexpr std::uint32_t t0 = 1000000000; // FIT time 2021-09-09T01:46:40Z
constexpr std::int64_t t0_unix = 631065600 + 1000000000;

void put(Bytes& out, std::uint64_t value, std::size_t size, bool big = false) {
    for (std::size_t i = 0; i < size; ++i) {
        const std::size_t shift = 8 * (big ? size - 1 - i : i);
        out.push_back(static_cast<std::uint8_t>(value >> shift));
    }
}

/// Builds the data section of a FIT file, then wraps it in a header and CRC.
class FitBytes {
public:
    FitBytes& define(std::uint8_t local, std::uint16_t global,
                     std::initializer_list<FieldDef> fields, bool big = false,
                     std::initializer_list<FieldDef> dev = {}) {
        m_data.push_back(static_cast<std::uint8_t>(0x40 | (dev.size() > 0 ? 0x20 : 0) | local));
        m_data.push_back(0);
        m_data.push_back(big ? 1 : 0);
        put(m_data, global, 2, big);
        m_data.push_back(static_cast<std::uint8_t>(fields.size()));
        for (const auto& f : fields) {
            m_data.insert(m_data.end(), f.begin(), f.end());
        }
        if (dev.size() > 0) {
            m_data.push_back(static_cast<std::uint8_t>(dev.size()));
            for (const auto& f : dev) {
                m_data.insert(m_data.end(), f.begin(), f.end());
            }
        }
        return *this;
    }
    FitBytes& message(std::uint8_t header, const Bytes& body) {
        m_data.push_back(header);
        m_data.insert(m_data.end(), body.begin(), body.end());
        return *this;
    }
    Bytes file(std::uint8_t header_size = 14, bool with_crc = true) const {
        Bytes out;
        out.push_back(header_size);
        out.push_back(0x20);
        put(out, 2132, 2);
        put(out, m_data.size(), 4);
        out.insert(out.end(), {'.', 'F', 'I', 'T'});
        if (header_size == 14) {
            put(out, fit::crc16(0, out), 2);
        }
        out.insert(out.end(), m_data.begin(), m_data.end());
        if (with_crc) {
            put(out, fit::crc16(0, out), 2);
        }
        return out;
    }

private:
    Bytes m_data;
};

/// Body bytes from (value, size) pairs, in one byte order.
Bytes body(std::initializer_list<std::pair<std::uint64_t, std::size_t>> values, bool big = false) {
    Bytes out;
    for (const auto& [value, size] : values) {
        put(out, value, size, big);
    }
    return out;
}

ReadResult read(const Bytes& bytes) {
    MemoryStream stream(bytes);
    return make_fit_reader()->read(stream, "x.fit");
}

std::string read_error(const Bytes& bytes) {
    try {
        read(bytes);
    } catch (const ReadError& error) {
        return error.what();
    }
    return "no error";
}

// Base types (§1.5).
constexpr std::uint8_t enum_t = 0x00, uint8_t_ = 0x02, uint16_t_ = 0x84, sint32_t = 0x85,
                       uint32_t_ = 0x86;

/// A running activity: file_id, two records, a session and an activity message.
FitBytes activity(bool big) {
    FitBytes f;
    f.define(0, 0, {{0, 1, enum_t}}, big).message(0, body({{4, 1}}));
    f.define(1, 20,
             {{253, 4, uint32_t_},
              {0, 4, sint32_t},
              {1, 4, sint32_t},
              {3, 1, uint8_t_},
              {5, 4, uint32_t_},
              {78, 4, uint32_t_}},
             big);
    // lat/long 0x10000000 semicircles = 22.5°; altitude (raw / 5 - 500) 600 m, then 610 m.
    f.message(1,
              body({{t0, 4}, {0x10000000, 4}, {0x10000000, 4}, {150, 1}, {0, 4}, {5500, 4}}, big));
    f.message(1,
              body({{t0 + 10, 4}, {0x10000100, 4}, {0x10000000, 4}, {160, 1}, {2500, 4}, {5550, 4}},
                   big));
    f.define(2, 18,
             {{253, 4, uint32_t_},
              {2, 4, uint32_t_},
              {5, 1, enum_t},
              {6, 1, enum_t},
              {7, 4, uint32_t_},
              {8, 4, uint32_t_},
              {9, 4, uint32_t_},
              {16, 1, uint8_t_},
              {17, 1, uint8_t_},
              {22, 2, uint16_t_},
              {35, 2, uint16_t_},
              {193, 1, uint8_t_}},
             big);
    f.message(2, body({{t0 + 10, 4},
                       {t0, 4},
                       {1, 1},
                       {3, 1},
                       {10000, 4},
                       {9000, 4},
                       {2512, 4},
                       {155, 1},
                       {160, 1},
                       {7, 2},
                       {491, 2},
                       {75, 1}},
                      big));
    f.define(3, 34, {{253, 4, uint32_t_}, {5, 4, uint32_t_}}, big)
        .message(3, body({{t0 + 10, 4}, {t0 + 10 + 7200, 4}}, big));
    return f;
}

void expect_activity_values(const ReadResult& r) {
    ASSERT_EQ(r.activities.size(), 1U);
    const ActivityFeatures& a = r.activities[0];
    EXPECT_EQ(a.source, "x.fit");
    EXPECT_EQ(a.format, Format::fit);
    EXPECT_EQ(a.sport, Sport::trail_running);
    EXPECT_EQ(a.sub_sport, "trail");
    EXPECT_EQ(a.start_utc, t0_unix);
    EXPECT_EQ(a.utc_offset_s, 7200);
    EXPECT_DOUBLE_EQ(*a.elapsed_s, 10.0);
    EXPECT_DOUBLE_EQ(*a.timer_s, 9.0);
    EXPECT_DOUBLE_EQ(*a.distance_m, 25.12);
    EXPECT_DOUBLE_EQ(*a.avg_hr, 155.0);
    EXPECT_DOUBLE_EQ(*a.max_hr, 160.0);
    EXPECT_DOUBLE_EQ(*a.ascent_m, 7.0);
    EXPECT_DOUBLE_EQ(*a.device_tss, 49.1);
    EXPECT_DOUBLE_EQ(*a.rpe, 7.5);
    EXPECT_EQ(a.records, 2U);
    EXPECT_FALSE(a.has(Flag::no_position));
    EXPECT_FALSE(a.has(Flag::no_altitude));
    EXPECT_EQ(a.flags & (flag_bit(Flag::crc_mismatch) | flag_bit(Flag::truncated) |
                         flag_bit(Flag::no_summary)),
              0U);
    EXPECT_TRUE(r.warnings.empty());
}

TEST(FitReader, LittleEndianActivity) {
    expect_activity_values(read(activity(false).file()));
}

TEST(FitReader, BigEndianDefinitionsGiveTheSameValues) {
    expect_activity_values(read(activity(true).file()));
}

/// Records with every field the reader uses, in one byte order: enhanced
/// values now valid, now invalid (the plain field then counts), invalid
/// heart rate and position, and compressed timestamps between full ones.
Bytes record_stream(bool big) {
    constexpr std::uint8_t uint16_le = 0x84;
    FitBytes f;
    f.define(0, 0, {{0, 1, enum_t}}, big).message(0, body({{4, 1}}, big));
    f.define(1, 20,
             {{253, 4, uint32_t_},
              {0, 4, sint32_t},
              {1, 4, sint32_t},
              {2, 2, uint16_le},
              {78, 4, uint32_t_},
              {6, 2, uint16_le},
              {73, 4, uint32_t_},
              {5, 4, uint32_t_},
              {3, 1, uint8_t_},
              {4, 1, uint8_t_}},
             big);
    f.define(2, 20, {{3, 1, uint8_t_}, {5, 4, uint32_t_}}, big);
    std::uint32_t lat = 0x20000000;
    std::uint32_t distance_cm = 0;
    for (std::uint32_t i = 0; i < 400; ++i) {
        lat += 300 + (i * 37) % 200;
        distance_cm += 250 + (i * 53) % 150;
        const std::uint32_t t = t0 + 2 * i;
        const std::uint64_t enhanced_alt = i % 7 == 3 ? 0xFFFFFFFFU : 2600 * 5 + (i * 31) % 90;
        const std::uint64_t alt = 2600 * 5 + (i * 29) % 80;
        const std::uint64_t enhanced_speed = i % 5 == 1 ? 0xFFFFFFFFU : 2800 + i % 300;
        const std::uint64_t hr = i % 11 == 4 ? 0xFF : 120 + (i * 7) % 50;
        const std::uint64_t lat_or_none = i % 13 == 6 ? 0x7FFFFFFFU : lat;
        f.message(1, body({{t, 4},
                           {lat_or_none, 4},
                           {0x08000000, 4},
                           {alt, 2},
                           {enhanced_alt, 4},
                           {2700, 2},
                           {enhanced_speed, 4},
                           {distance_cm, 4},
                           {hr, 1},
                           {85, 1}},
                          big));
        // A compressed-timestamp record one second later (5-bit offset).
        distance_cm += 120;
        f.message(static_cast<std::uint8_t>(0x80 | (2 << 5) | ((t + 1) & 0x1F)),
                  body({{hr, 1}, {distance_cm, 4}}, big));
    }
    return f.file();
}

TEST(FitReader, RecordsReadTheSameInBothByteOrders) {
    // Little-endian records with the profile's types take a direct path to
    // the samples; big-endian ones the general decoder. Both must agree.
    const ReadResult little = read(record_stream(false));
    const ReadResult big = read(record_stream(true));
    ASSERT_EQ(little.activities.size(), 1U);
    ASSERT_EQ(big.activities.size(), 1U);
    const ActivityFeatures& a = little.activities[0];
    const ActivityFeatures& b = big.activities[0];
    EXPECT_EQ(a.records, 800U);
    EXPECT_EQ(a.records, b.records);
    EXPECT_EQ(a.start_utc, b.start_utc);
    EXPECT_EQ(a.elapsed_s, b.elapsed_s);
    EXPECT_DOUBLE_EQ(*a.elapsed_s, 799.0);
    EXPECT_EQ(a.moving_s, b.moving_s);
    EXPECT_EQ(a.distance_m, b.distance_m);
    EXPECT_EQ(a.ascent_m, b.ascent_m);
    EXPECT_EQ(a.descent_m, b.descent_m);
    EXPECT_TRUE(a.ascent_m.has_value());
    EXPECT_EQ(a.avg_hr, b.avg_hr);
    EXPECT_EQ(a.max_hr, b.max_hr);
    EXPECT_EQ(a.hr_histogram, b.hr_histogram);
    EXPECT_EQ(a.ngp_speed_mps, b.ngp_speed_mps);
    EXPECT_TRUE(a.ngp_speed_mps.has_value());
    EXPECT_EQ(a.best60_gap_speed_mps, b.best60_gap_speed_mps);
    EXPECT_EQ(a.flags, b.flags);
}

TEST(FitReader, TwelveByteHeaderWithoutHeaderCrc) {
    expect_activity_values(read(activity(false).file(12)));
}

TEST(FitReader, NoSessionBuildsTheSummaryFromRecords) {
    FitBytes f;
    f.define(0, 20, {{253, 4, uint32_t_}, {3, 1, uint8_t_}, {5, 4, uint32_t_}});
    f.message(0, body({{t0, 4}, {120, 1}, {0, 4}}));
    f.message(0, body({{t0 + 60, 4}, {140, 1}, {15000, 4}}));
    const ReadResult r = read(f.file());
    ASSERT_EQ(r.activities.size(), 1U);
    const ActivityFeatures& a = r.activities[0];
    EXPECT_TRUE(a.has(Flag::no_summary));
    EXPECT_EQ(a.start_utc, t0_unix);
    EXPECT_DOUBLE_EQ(*a.elapsed_s, 60.0);
    EXPECT_DOUBLE_EQ(*a.distance_m, 150.0);
    EXPECT_EQ(a.records, 2U);
}

TEST(FitReader, TimerEventsGiveTimerTimeWithoutSession) {
    FitBytes f;
    f.define(1, 21, {{253, 4, uint32_t_}, {0, 1, enum_t}, {1, 1, enum_t}});
    f.define(0, 20, {{253, 4, uint32_t_}, {3, 1, uint8_t_}});
    f.message(1, body({{t0, 4}, {0, 1}, {0, 1}})); // timer start
    f.message(0, body({{t0, 4}, {100, 1}})).message(0, body({{t0 + 30, 4}, {100, 1}}));
    f.message(1, body({{t0 + 30, 4}, {0, 1}, {4, 1}})); // timer stop_all
    f.message(1, body({{t0 + 100, 4}, {0, 1}, {0, 1}}));
    f.message(0, body({{t0 + 100, 4}, {100, 1}})).message(0, body({{t0 + 120, 4}, {100, 1}}));
    const ReadResult r = read(f.file());
    ASSERT_EQ(r.activities.size(), 1U);
    EXPECT_TRUE(r.activities[0].has(Flag::no_summary));
    EXPECT_DOUBLE_EQ(*r.activities[0].elapsed_s, 120.0);
    EXPECT_DOUBLE_EQ(*r.activities[0].timer_s, 50.0);
}

TEST(FitReader, CompressedTimestampRollsOver) {
    // Last full timestamp ends in 0x1E; a 5-bit offset of 0x01 is smaller,
    // so it lies in the next 32 s window: 0x...1E -> 0x...21 (+3 s), §1.3.
    const std::uint32_t last = (t0 & ~0x1FU) | 0x1EU;
    FitBytes f;
    f.define(0, 20, {{253, 4, uint32_t_}, {3, 1, uint8_t_}});
    f.message(0, body({{last, 4}, {100, 1}}));
    f.define(1, 20, {{3, 1, uint8_t_}});
    f.message(static_cast<std::uint8_t>(0x80 | (1 << 5) | 0x01), body({{110, 1}}));
    const ReadResult r = read(f.file());
    ASSERT_EQ(r.activities.size(), 1U);
    EXPECT_EQ(r.activities[0].start_utc, 631065600 + static_cast<std::int64_t>(last));
    EXPECT_DOUBLE_EQ(*r.activities[0].elapsed_s, 3.0);
    EXPECT_EQ(r.activities[0].records, 2U);
}

TEST(FitReader, DeveloperFieldsAreSkippedBySize) {
    FitBytes f;
    f.define(0, 20, {{253, 4, uint32_t_}, {3, 1, uint8_t_}}, false, {{0, 3, 0}, {1, 2, 0}});
    f.message(0, body({{t0, 4}, {130, 1}, {0xEEEEEE, 3}, {0xEEEE, 2}}));
    f.message(0, body({{t0 + 1, 4}, {150, 1}, {0xEEEEEE, 3}, {0xEEEE, 2}}));
    const ReadResult r = read(f.file());
    ASSERT_EQ(r.activities.size(), 1U);
    EXPECT_EQ(r.activities[0].records, 2U);
    EXPECT_DOUBLE_EQ(*r.activities[0].max_hr, 150.0);
    EXPECT_DOUBLE_EQ(*r.activities[0].elapsed_s, 1.0);
}

TEST(FitReader, InvalidSentinelsAreAbsentValues) {
    FitBytes f;
    f.define(0, 20,
             {{253, 4, uint32_t_},
              {3, 1, uint8_t_},
              {5, 4, uint32_t_},
              {0, 4, sint32_t},
              {1, 4, sint32_t}});
    f.message(0, body({{t0, 4}, {0xFF, 1}, {0xFFFFFFFF, 4}, {0x7FFFFFFF, 4}, {0x7FFFFFFF, 4}}));
    f.message(0, body({{t0 + 5, 4}, {0xFF, 1}, {0xFFFFFFFF, 4}, {0x7FFFFFFF, 4}, {0x7FFFFFFF, 4}}));
    const ReadResult r = read(f.file());
    ASSERT_EQ(r.activities.size(), 1U);
    const ActivityFeatures& a = r.activities[0];
    EXPECT_FALSE(a.avg_hr.has_value());
    EXPECT_FALSE(a.distance_m.has_value());
    EXPECT_TRUE(a.has(Flag::no_heart_rate));
    EXPECT_TRUE(a.has(Flag::no_position));
}

TEST(FitReader, MisalignedFieldSizeIsReadAsBytes) {
    // heart_rate declared uint16 with 3 bytes: not a whole number of elements (§1.4).
    FitBytes f;
    f.define(0, 20, {{253, 4, uint32_t_}, {3, 3, uint16_t_}, {5, 4, uint32_t_}});
    f.message(0, body({{t0, 4}, {0x8C8C8C, 3}, {0, 4}}));
    f.message(0, body({{t0 + 1, 4}, {0x8C8C8C, 3}, {300, 4}}));
    const ReadResult r = read(f.file());
    ASSERT_EQ(r.activities.size(), 1U);
    EXPECT_FALSE(r.activities[0].avg_hr.has_value());
    EXPECT_DOUBLE_EQ(*r.activities[0].distance_m, 3.0);
}

TEST(FitReader, RedefinedLocalTypeUsesTheNewDefinition) {
    FitBytes f;
    f.define(0, 20, {{253, 4, uint32_t_}, {3, 1, uint8_t_}}).message(0, body({{t0, 4}, {100, 1}}));
    f.define(0, 20, {{3, 1, uint8_t_}, {253, 4, uint32_t_}}, true)
        .message(0, body({{120, 1}, {t0 + 4, 4}}, true));
    const ReadResult r = read(f.file());
    ASSERT_EQ(r.activities.size(), 1U);
    EXPECT_DOUBLE_EQ(*r.activities[0].max_hr, 120.0);
    EXPECT_DOUBLE_EQ(*r.activities[0].elapsed_s, 4.0);
}

TEST(FitReader, TimerLongerThanElapsedIsClamped) {
    FitBytes f;
    f.define(0, 18, {{2, 4, uint32_t_}, {7, 4, uint32_t_}, {8, 4, uint32_t_}, {5, 1, enum_t}});
    f.message(0, body({{t0, 4}, {1000000, 4}, {2000000, 4}, {1, 1}}));
    const ReadResult r = read(f.file());
    ASSERT_EQ(r.activities.size(), 1U);
    EXPECT_DOUBLE_EQ(*r.activities[0].timer_s, 1000.0);
    EXPECT_TRUE(r.activities[0].has(Flag::timer_clamped));
    EXPECT_EQ(r.activities[0].sport, Sport::running);
}

TEST(FitReader, RelativeTimestampsAreFlagged) {
    FitBytes f;
    f.define(0, 20, {{253, 4, uint32_t_}, {3, 1, uint8_t_}});
    f.message(0, body({{5000, 4}, {100, 1}})).message(0, body({{5010, 4}, {100, 1}}));
    const ReadResult r = read(f.file());
    ASSERT_EQ(r.activities.size(), 1U);
    EXPECT_TRUE(r.activities[0].has(Flag::relative_time));
}

TEST(FitReader, MultiSessionGivesOneActivityPerSession) {
    FitBytes f;
    f.define(0, 20, {{253, 4, uint32_t_}, {3, 1, uint8_t_}});
    for (std::uint32_t t = 0; t <= 100; t += 10) {
        f.message(0, body({{t0 + t, 4}, {100 + t / 10, 1}}));
    }
    f.define(1, 18, {{2, 4, uint32_t_}, {7, 4, uint32_t_}, {5, 1, enum_t}});
    f.message(1, body({{t0, 4}, {50000, 4}, {5, 1}}));
    f.message(1, body({{t0 + 60, 4}, {40000, 4}, {1, 1}}));
    const ReadResult r = read(f.file());
    ASSERT_EQ(r.activities.size(), 2U);
    EXPECT_EQ(r.activities[0].sport, Sport::swimming);
    EXPECT_EQ(r.activities[1].sport, Sport::running);
    EXPECT_EQ(r.activities[1].start_utc, t0_unix + 60);
    EXPECT_TRUE(r.activities[0].has(Flag::multisport));
    EXPECT_TRUE(r.activities[1].has(Flag::multisport));
}

// Issue 16 item 10: every session written after all the records (a swim at
// 100 bpm, a minute's gap, a run at 170 bpm): each session gets the stream
// features of its own time, not session 0 all of them.
TEST(FitReader, SessionsWrittenAfterAllRecordsEachGetTheirOwnRecords) {
    FitBytes f;
    f.define(0, 20, {{253, 4, uint32_t_}, {3, 1, uint8_t_}});
    for (std::uint32_t t = 0; t <= 1200; ++t) {
        f.message(0, body({{t0 + t, 4}, {100, 1}}));
    }
    for (std::uint32_t t = 1260; t <= 2460; ++t) {
        f.message(0, body({{t0 + t, 4}, {170, 1}}));
    }
    f.define(1, 18, {{2, 4, uint32_t_}, {7, 4, uint32_t_}, {5, 1, enum_t}});
    f.message(1, body({{t0, 4}, {1200000, 4}, {5, 1}}));
    f.message(1, body({{t0 + 1260, 4}, {1200000, 4}, {1, 1}}));
    const ReadResult r = read(f.file());
    ASSERT_EQ(r.activities.size(), 2U);
    const auto& swim = r.activities[0];
    const auto& run = r.activities[1];
    EXPECT_EQ(swim.records, 1201U);
    EXPECT_EQ(run.records, 1201U);
    ASSERT_TRUE(swim.max_hr && run.max_hr);
    EXPECT_DOUBLE_EQ(*swim.max_hr, 100.0);
    EXPECT_DOUBLE_EQ(*run.max_hr, 170.0);
    EXPECT_DOUBLE_EQ(*swim.avg_hr, 100.0);
    EXPECT_DOUBLE_EQ(*run.avg_hr, 170.0);
    ASSERT_TRUE(swim.has_hr_histogram && run.has_hr_histogram);
    EXPECT_EQ(swim.hr_histogram[100], 1200U);
    EXPECT_EQ(swim.hr_histogram[170], 0U);
    EXPECT_EQ(run.hr_histogram[170], 1200U);
    EXPECT_EQ(run.hr_histogram[100], 0U);
    ASSERT_TRUE(swim.moving_s && run.moving_s);
    EXPECT_DOUBLE_EQ(*swim.moving_s, 1200.0);
    EXPECT_DOUBLE_EQ(*run.moving_s, 1200.0);
}

TEST(FitReader, SummaryFirstRoutesRecordsToTheirSession) {
    FitBytes f;
    f.define(1, 18, {{2, 4, uint32_t_}, {7, 4, uint32_t_}, {5, 1, enum_t}});
    f.message(1, body({{t0, 4}, {50000, 4}, {5, 1}}));
    f.message(1, body({{t0 + 60, 4}, {40000, 4}, {1, 1}}));
    f.define(0, 20, {{253, 4, uint32_t_}, {3, 1, uint8_t_}});
    for (std::uint32_t t = 0; t <= 100; t += 10) {
        f.message(0, body({{t0 + t, 4}, {t < 60 ? 100 : 170, 1}}));
    }
    const ReadResult r = read(f.file());
    ASSERT_EQ(r.activities.size(), 2U);
    EXPECT_EQ(r.activities[0].records, 6U);
    EXPECT_EQ(r.activities[1].records, 5U);
    EXPECT_DOUBLE_EQ(*r.activities[0].max_hr, 100.0);
    EXPECT_DOUBLE_EQ(*r.activities[1].max_hr, 170.0);
}

TEST(FitReader, SessionsAreCapped) {
    FitBytes f;
    f.define(0, 18, {{2, 4, uint32_t_}, {7, 4, uint32_t_}, {5, 1, enum_t}});
    for (std::uint32_t i = 0; i < 70; ++i) {
        f.message(0, body({{t0 + 100 * i, 4}, {50000, 4}, {1, 1}}));
    }
    const ReadResult r = read(f.file());
    EXPECT_EQ(r.activities.size(), 64U);
    ASSERT_EQ(r.warnings.size(), 1U);
    EXPECT_EQ(r.warnings[0], "byte " + std::to_string(14 + 6 + 9 + 64 * 10) +
                                 ": more than 64 sessions; the rest are ignored");
    // The loss is in every activity's status (the scan table's flags), not
    // only in a warning printed with --verbose (issue item 9).
    for (const auto& a : r.activities) {
        EXPECT_TRUE(a.has(Flag::sessions_dropped));
    }
}

TEST(FitReader, NonActivityFileIsSkipped) {
    FitBytes f;
    f.define(0, 0, {{0, 1, enum_t}}).message(0, body({{2, 1}}));
    const ReadResult r = read(f.file());
    EXPECT_TRUE(r.activities.empty());
    EXPECT_EQ(r.skipped, "FIT file type settings, not an activity");
}

TEST(FitReader, ChainedPartsAndTrailingGarbage) {
    Bytes bytes = activity(false).file();
    FitBytes second;
    second.define(0, 20, {{253, 4, uint32_t_}, {3, 1, uint8_t_}})
        .message(0, body({{t0 + 5, 4}, {170, 1}}));
    const Bytes part2 = second.file();
    bytes.insert(bytes.end(), part2.begin(), part2.end());
    const std::size_t garbage_at = bytes.size();
    bytes.insert(bytes.end(), {1, 2, 3, 4, 5});
    const ReadResult r = read(bytes);
    ASSERT_EQ(r.activities.size(), 1U);
    EXPECT_EQ(r.activities[0].records, 3U);
    EXPECT_TRUE(r.activities[0].has(Flag::trailing_garbage));
    ASSERT_EQ(r.warnings.size(), 1U);
    EXPECT_EQ(
        r.warnings[0],
        "byte " + std::to_string(garbage_at) +
            ": ignored the bytes after FIT part 2: expected FIT header size 12 or 14, found 1");
}

TEST(FitReader, FileCrcMismatchKeepsTheData) {
    Bytes bytes = activity(false).file();
    bytes.at(bytes.size() - 1) ^= 0x01;
    const ReadResult r = read(bytes);
    ASSERT_EQ(r.activities.size(), 1U);
    EXPECT_TRUE(r.activities[0].has(Flag::crc_mismatch));
    EXPECT_EQ(r.activities[0].records, 2U);
    ASSERT_EQ(r.warnings.size(), 1U);
    EXPECT_EQ(r.warnings[0].find("byte " + std::to_string(bytes.size() - 2) + ": file CRC 0x"), 0U)
        << r.warnings[0];
}

TEST(FitReader, BadHeaderCrcKeepsTheData) {
    Bytes bytes = activity(false).file(14, false);
    bytes[12] ^= 0xFF;
    put(bytes, fit::crc16(0, bytes), 2);
    const ReadResult r = read(bytes);
    ASSERT_EQ(r.activities.size(), 1U);
    EXPECT_TRUE(r.activities[0].has(Flag::header_crc_mismatch));
    EXPECT_FALSE(r.activities[0].has(Flag::crc_mismatch));
}

TEST(FitReader, ZeroHeaderCrcMeansNotComputed) {
    Bytes bytes = activity(false).file(14, false);
    bytes[12] = 0;
    bytes[13] = 0;
    put(bytes, fit::crc16(0, bytes), 2);
    const ReadResult r = read(bytes);
    ASSERT_EQ(r.activities.size(), 1U);
    EXPECT_FALSE(r.activities[0].has(Flag::header_crc_mismatch));
}

TEST(FitReader, TruncatedFileKeepsWholeRecords) {
    Bytes bytes = activity(false).file();
    // Cut inside the session message: both records survive, no summary.
    bytes.resize(14 + 6 + 3 + 2 + 6 + 18 + 2 * 22 + 10);
    const ReadResult r = read(bytes);
    ASSERT_EQ(r.activities.size(), 1U);
    EXPECT_TRUE(r.activities[0].has(Flag::truncated));
    EXPECT_TRUE(r.activities[0].has(Flag::no_summary));
    EXPECT_EQ(r.activities[0].records, 2U);
}

TEST(FitReader, EmptyInput) {
    EXPECT_EQ(read_error({}), "x.fit: byte 0: expected a FIT header, found an empty input");
}

TEST(FitReader, HeaderOnly) {
    FitBytes f;
    EXPECT_EQ(read_error(f.file(12, false)),
              "x.fit: byte 12: expected the 2-byte file CRC, found the end of the input");
}

TEST(FitReader, ShortHeader) {
    EXPECT_EQ(read_error({14, 0x20, 0, 0, 0}),
              "x.fit: byte 0: expected a 14-byte FIT header, found only 5 bytes");
}

TEST(FitReader, WrongHeaderSize) {
    Bytes bytes = FitBytes().file(12);
    bytes[0] = 13;
    EXPECT_EQ(read_error(bytes), "x.fit: byte 0: expected FIT header size 12 or 14, found 13");
}

TEST(FitReader, WrongSignature) {
    Bytes bytes = FitBytes().file(12);
    bytes[9] = 'G';
    EXPECT_EQ(
        read_error(bytes),
        "x.fit: byte 0: expected FIT signature \".FIT\" at header bytes 8-11, found \".GIT\"");
}

TEST(FitReader, UndefinedLocalType) {
    FitBytes f;
    f.message(0x03, {});
    EXPECT_EQ(
        read_error(f.file()),
        "x.fit: byte 14: record header 0x03 uses local message type 3, which has no definition");
}

TEST(FitReader, BadArchitectureByte) {
    Bytes data = FitBytes().file(12, false);
    data.insert(data.end(), {0x40, 0x00, 0xE5, 0x14, 0x00, 0x00});
    data[4] = 6;
    put(data, fit::crc16(0, data), 2);
    EXPECT_EQ(read_error(data), "x.fit: byte 14: definition architecture byte 0xE5 is neither 0 "
                                "(little-endian) nor 1 (big-endian)");
}

TEST(FitValidate, WellFormedAndBroken) {
    const Bytes good = activity(false).file();
    MemoryStream ok(good);
    EXPECT_TRUE(validate_fit(ok, "x.fit").empty());

    Bytes bad = good;
    bad.at(bad.size() - 1) ^= 0x01;
    bad.resize(bad.size() + 3, 0xAB);
    MemoryStream broken(bad);
    const auto problems = validate_fit(broken, "x.fit");
    ASSERT_EQ(problems.size(), 2U);
    EXPECT_EQ(problems[0].find("x.fit: byte " + std::to_string(good.size() - 2) + ": file CRC 0x"),
              0U);
    EXPECT_EQ(problems[1], "x.fit: byte " + std::to_string(good.size()) +
                               ": expected another chained FIT part or the end of the input: FIT "
                               "header size 12 or 14, "
                               "found 171");
}

// Found by fit_fuzz: records hours apart (a 49653 s gap after a jump) made the
// grade-adjusted-speed bins of FeatureBuilder index before their start.
TEST(FitReaderRegression, LongGapBetweenRecords) {
    const Bytes bytes = {
        0x0C, 0x10, 0x64, 0x00, 0xF5, 0x02, 0x00, 0x00, 0x2E, 0x46, 0x49, 0x54, 0x40, 0x00, 0x01,
        0x00, 0x00, 0x05, 0x03, 0x04, 0x8C, 0x04, 0x04, 0x86, 0x01, 0x02, 0x84, 0x02, 0x02, 0x84,
        0x00, 0x01, 0x00, 0x00, 0x7F, 0xFF, 0xFF, 0xFF, 0x29, 0xE6, 0x07, 0x12, 0x00, 0x0F, 0x00,
        0x01, 0x04, 0x40, 0x00, 0x01, 0x00, 0x31, 0x02, 0x00, 0x02, 0x84, 0x01, 0x01, 0x02, 0x40,
        0x00, 0x01, 0x00, 0x31, 0x01, 0x00, 0x02, 0x84, 0x00, 0x00, 0xF0, 0x41, 0x00, 0x01, 0x00,
        0x15, 0x05, 0xFD, 0x04, 0x86, 0x03, 0x04, 0x86, 0x00, 0x01, 0x00, 0x01, 0x01, 0x00, 0x04,
        0x01, 0x02, 0x41, 0x00, 0x01, 0x00, 0x15, 0x05, 0xFD, 0x04, 0x86, 0x03, 0x01, 0x00, 0x00,
        0x01, 0x00, 0x01, 0x01, 0x00, 0x04, 0x01, 0x02, 0x01, 0x29, 0xE6, 0x07, 0x12, 0x00, 0x00,
        0x00, 0x00, 0x42, 0x00, 0x01, 0x00, 0x14, 0x06, 0xFD, 0x04, 0x86, 0x00, 0x04, 0x85, 0x01,
        0x04, 0x85, 0x05, 0x04, 0x86, 0x02, 0x02, 0x84, 0x06, 0x02, 0x84, 0x02, 0x29, 0xE6, 0x07,
        0x12, 0x1D, 0x85, 0x61, 0x2E, 0xCB, 0xFB, 0xB4, 0x97, 0x00, 0x00, 0x00, 0x02, 0x0F, 0x33,
        0x00, 0x00, 0x02, 0x29, 0xE6, 0x07, 0x13, 0x1D, 0x85, 0x61, 0x2E, 0xCB, 0xFB, 0xB4, 0x98,
        0x00, 0x00, 0x00, 0x02, 0x0F, 0x33, 0x00, 0x00, 0x02, 0x29, 0xE6, 0x07, 0x14, 0x1D, 0x85,
        0x61, 0x2E, 0xCB, 0xFB, 0xB4, 0x98, 0x00, 0x00, 0x00, 0x02, 0x0F, 0x33, 0x00, 0x00, 0x02,
        0x29, 0xE6, 0xC9, 0x07, 0x15, 0x1D, 0x85, 0x61, 0x39, 0xCB, 0xFB, 0xB4, 0x82, 0x00, 0x00,
        0x00, 0x15, 0x0F, 0x33, 0x00, 0x00, 0x02, 0x29, 0xE6, 0x07, 0x16, 0x1D, 0x85, 0x61, 0x40,
        0xCB, 0xFB, 0xB4, 0x79, 0x00, 0x00, 0x00, 0x1C, 0x0F, 0x33, 0x00, 0x00, 0x02, 0x29, 0xE6,
        0x07, 0x17, 0x1D, 0x85, 0x61, 0x46, 0xCB, 0xFB, 0xB4, 0x72, 0x00, 0x00, 0x00, 0x23, 0x0F,
        0x33, 0x00, 0x00, 0x02, 0x29, 0xE6, 0x07, 0x18, 0x1D, 0x85, 0x61, 0x4A, 0xCB, 0xFB, 0xB4,
        0x6C, 0x00, 0x00, 0x00, 0x29, 0x0F, 0x33, 0x00, 0x00, 0x02, 0x29, 0xE6, 0x07, 0x19, 0x1D,
        0x85, 0x61, 0x77, 0xCB, 0xFB, 0xB4, 0x14, 0x00, 0x00, 0x00, 0x72, 0x0F, 0x33, 0x00, 0x00,
        0x02, 0x29, 0xE6, 0x07, 0x1A, 0x1D, 0x85, 0x61, 0x8D, 0xCB, 0xFB, 0xB3, 0xB4, 0x00, 0x00,
        0x00, 0xB9, 0x0F, 0x33, 0x00, 0x5C, 0x02, 0x29, 0xE6, 0x07, 0x1B, 0x1D, 0x85, 0x61, 0xAE,
        0xCB, 0xFB, 0xB3, 0x3C, 0x00, 0x00, 0x01, 0x13, 0x0F, 0x33, 0x00, 0x98, 0x02, 0x29, 0xE6,
        0x07, 0x1C, 0x1D, 0x85, 0x61, 0xCC, 0xCB, 0xFB, 0xB2, 0xD7, 0x00, 0x00, 0x01, 0x5F, 0x0F,
        0x33, 0x00, 0xD1, 0x02, 0x29, 0xE6, 0x07, 0x1D, 0x1D, 0x85, 0x61, 0xAA, 0xCB, 0xFB, 0xB2,
        0x79, 0x00, 0x00, 0x01, 0xA6, 0x0F, 0x33, 0x01, 0x06, 0x02, 0x29, 0xE6, 0x07, 0x1E, 0x1D,
        0x85, 0x61, 0x5F, 0xCB, 0xFB, 0xB2, 0x8D, 0x00, 0x00, 0x01, 0xED, 0x0F, 0x33, 0x01, 0x33,
        0x02, 0x29, 0xE6, 0x07, 0x1F, 0x1D, 0x85, 0x61, 0x12, 0xCB, 0xFB, 0xB2, 0x57, 0x00, 0x00,
        0x02, 0x3D, 0x0F, 0x33, 0x01, 0x70, 0x01, 0x29, 0xE6, 0x07, 0x1F, 0x00, 0x00, 0x04, 0x00,
        0x43, 0x00, 0x01, 0x00, 0x13, 0x14, 0xFD, 0x04, 0x86, 0x02, 0x04, 0x86, 0x03, 0x04, 0x85,
        0x04, 0x04, 0x85, 0x05, 0x04, 0x85, 0x06, 0x04, 0x85, 0x07, 0x04, 0x86, 0x08, 0x04, 0x86,
        0x09, 0x04, 0x86, 0xFE, 0x02, 0x84, 0x0B, 0x02, 0x84, 0x0C, 0x02, 0x84, 0x0D, 0x02, 0x84,
        0x0E, 0x02, 0x84, 0x15, 0x02, 0x84, 0x16, 0x02, 0x84, 0x00, 0x01, 0x00, 0x01, 0x01, 0x00,
        0x18, 0x01, 0x00, 0x19, 0x01, 0x00, 0x03, 0x29, 0xE6, 0x07, 0xA3, 0x29, 0xE6, 0x07, 0x12,
        0x1D, 0x85, 0x61, 0x2E, 0xCB, 0xFB, 0xB4, 0x97, 0x1D, 0x85, 0x61, 0x12, 0xCB, 0xFB, 0xB2,
        0x57, 0x00, 0x00, 0x35, 0xB5, 0x00, 0x00, 0x35, 0xB5, 0x00, 0x00, 0x02, 0x3D, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x01, 0xA1, 0x01, 0x70, 0x00, 0x00, 0x00, 0x00, 0x09, 0x01, 0x07,
        0x01, 0x41, 0x00, 0x01, 0x00, 0x15, 0x05, 0xFD, 0x04, 0x86, 0x03, 0x04, 0x86, 0x00, 0x01,
        0x00, 0x01, 0x01, 0x00, 0x04, 0x01, 0x02, 0x01, 0x29, 0xE6, 0x07, 0xA3, 0x00, 0x00, 0x00,
        0x01, 0x08, 0x09, 0x01, 0x44, 0x00, 0x01, 0x00, 0x12, 0x15, 0xFD, 0x04, 0x86, 0x02, 0x04,
        0x86, 0x03, 0x04, 0x85, 0x04, 0x04, 0x85, 0x07, 0x04, 0x86, 0x08, 0x04, 0x86, 0x09, 0x04,
        0x86, 0xFE, 0x02, 0x84, 0x0B, 0x02, 0x84, 0x0D, 0x02, 0x84, 0x0E, 0x02, 0x84, 0x0F, 0x02,
        0x84, 0x16, 0x02, 0x84, 0x17, 0x02, 0x84, 0x19, 0x02, 0x84, 0x1A, 0x02, 0x84, 0x00, 0x01,
        0x00, 0x01, 0x01, 0x00, 0x05, 0x01, 0x00, 0x06, 0x01, 0x00, 0x1C, 0x01, 0x00, 0x04, 0x29,
        0xE6, 0x07, 0xA3, 0x29, 0xE6, 0x07, 0x12, 0x1D, 0x85, 0x61, 0x2E, 0xCB, 0xFB, 0xB4, 0x97,
        0x00, 0x00, 0x35, 0xB5, 0x00, 0x00, 0x35, 0xB5, 0x00, 0x00, 0x02, 0x3D, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x01, 0xA1, 0x01, 0x70, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
        0x09, 0x01, 0x01, 0x00, 0x00, 0x45, 0x00, 0x01, 0x00, 0x22, 0x07, 0xFD, 0x04, 0x86, 0x00,
        0x04, 0x86, 0x05, 0x04, 0x86, 0x01, 0x02, 0x84, 0x02, 0x01, 0x00, 0x03, 0x01, 0x00, 0x04,
        0x01, 0x00, 0x05, 0x29, 0xE6, 0x07, 0xA3, 0x00, 0x00, 0x35, 0xB5, 0x29, 0xE5, 0xCF, 0x63,
        0x00, 0x01, 0x00, 0x1A, 0x01, 0xD5, 0xA1, 0x0C, 0x10, 0x47, 0x00, 0x44, 0x00, 0x00, 0x00,
        0x2E, 0x47, 0x49, 0x54, 0x40, 0x00, 0x01, 0x00, 0x00, 0x04, 0x01, 0x02, 0x84, 0x02, 0x02,
        0x84, 0x03, 0x04, 0x8C, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x03, 0xDC, 0x00, 0x01, 0xE2,
        0x40, 0x02, 0x40, 0x00, 0x01, 0x00, 0x03, 0x05, 0x04, 0x02, 0x84, 0x01, 0x01, 0x00, 0x02,
        0x01, 0x02, 0x03, 0x01, 0x02, 0x05, 0x01, 0x00, 0x00, 0x03, 0x84, 0x01, 0x1C, 0xBE, 0x00,
        0x40, 0x00, 0x01, 0x00, 0x04, 0x01, 0x01, 0x02, 0x8B, 0x00, 0x00, 0x64, 0x39, 0x50, 0x0A,
    };
    const ReadResult r = read(bytes);
    ASSERT_EQ(r.activities.size(), 1U);
    EXPECT_EQ(r.activities[0].records, 4U);
    EXPECT_DOUBLE_EQ(*r.activities[0].elapsed_s, 49653.0);
    EXPECT_TRUE(r.activities[0].has(Flag::desynchronized));
    ASSERT_FALSE(r.warnings.empty());
    EXPECT_EQ(r.warnings[0],
              "byte 233: record header 0xE6 uses local message type 3, which has no definition");
}

// Found by fit_fuzz (first 162 of 824 bytes; the rest is never reached): an
// event whose event_type is declared sint8 and holds -3 was cast to unsigned.
TEST(FitReaderRegression, NegativeEnumValue) {
    const Bytes bytes = {
        0x0E, 0x20, 0xEB, 0x07, 0xD6, 0x13, 0x00, 0x00, 0x2E, 0x46, 0x49, 0x54, 0x60, 0xB1, 0x40,
        0x00, 0x01, 0x00, 0x00, 0x05, 0x04, 0x04, 0x86, 0x00, 0x01, 0x00, 0x01, 0x02, 0x84, 0x02,
        0x02, 0x84, 0x03, 0x04, 0x8C, 0x00, 0x33, 0xFD, 0x4B, 0x39, 0x04, 0x00, 0x20, 0x00, 0x1F,
        0x43, 0x5C, 0xEC, 0x00, 0x40, 0x00, 0x01, 0x00, 0xCF, 0x01, 0x03, 0x01, 0x02, 0x00, 0x00,
        0x00, 0x01, 0x40, 0x00, 0x01, 0x00, 0xCE, 0x05, 0x00, 0x01, 0x02, 0x01, 0x01, 0x02, 0x02,
        0x01, 0x02, 0x03, 0x0C, 0x07, 0x08, 0x04, 0x07, 0x00, 0x00, 0x00, 0x85, 0x63, 0x61, 0x6C,
        0x69, 0x62, 0x72, 0x61, 0x74, 0x69, 0x6F, 0x6E, 0x00, 0x61, 0x64, 0x63, 0x00, 0x00, 0x01,
        0x00, 0x02, 0x63, 0x68, 0x61, 0x72, 0x67, 0x65, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x25,
        0x00, 0x00, 0x00, 0x40, 0x00, 0x01, 0x00, 0x15, 0x04, 0xFD, 0x04, 0x86, 0x00, 0x01, 0x00,
        0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x03, 0x04, 0x86, 0x00, 0x33, 0xFD, 0x4B, 0x38,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x00, 0x01, 0x00, 0x17, 0x08,
    };
    EXPECT_EQ(
        read_error(bytes),
        "x.fit: byte 161: record header 0x08 uses local message type 8, which has no definition");
}

TEST(FitReaderRegression, SignedAndFloatFieldsWhereUnsignedAreExpected) {
    FitBytes f;
    f.define(0, 21, {{253, 4, 0x88}, {0, 1, 0x01}, {1, 1, 0x01}}); // float32 timestamp, sint8 enums
    f.message(0, body({{0x7F000000, 4}, {0xFD, 1}, {0xFD, 1}}));   // 1.7e38, -3, -3
    f.define(1, 20, {{253, 4, 0x85}, {3, 1, 0x02}});               // sint32 timestamp
    f.message(1, body({{0x80000000, 4}, {100, 1}}));
    f.message(1, body({{t0, 4}, {110, 1}}));
    const ReadResult r = read(f.file());
    ASSERT_EQ(r.activities.size(), 1U);
    EXPECT_EQ(r.activities[0].records, 2U);
    EXPECT_DOUBLE_EQ(*r.activities[0].max_hr, 110.0);
}

} // namespace
} // namespace ultrastrength
