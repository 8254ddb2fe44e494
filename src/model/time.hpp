// Calendar arithmetic on Unix seconds, without the C library's time zone
// state (thread-safe, deterministic, any year). Algorithms: H. Hinnant,
// "chrono-Compatible Low-Level Date Algorithms".
#ifndef ULTRASTRENGTH_MODEL_TIME_HPP
#define ULTRASTRENGTH_MODEL_TIME_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ultrastrength {

struct CivilDate {
    int year = 1970;
    unsigned month = 1; ///< 1-12
    unsigned day = 1;   ///< 1-31
};

/// Days since 1970-01-01 of a proleptic Gregorian date.
std::int64_t days_from_civil(CivilDate date) noexcept;
CivilDate civil_from_days(std::int64_t days) noexcept;

/// "YYYY-MM-DDTHH:MM:SSZ".
std::string format_utc(std::int64_t unix_seconds);
/// "YYYY-MM-DD".
std::string format_date(CivilDate date);

/// Parses an xs:dateTime as TCX and GPX write it: "2016-09-12T11:19:55Z",
/// with optional fractional seconds and a "Z" or "+hh:mm"/"-hh:mm" offset
/// (no offset is taken as UTC). Returns Unix seconds (fraction kept) or
/// nullopt when the text is not such a date.
std::optional<double> parse_iso8601(std::string_view text) noexcept;

/// Parses "YYYY-MM-DD".
std::optional<CivilDate> parse_date(std::string_view text) noexcept;

/// Weekdays are numbered 0 = Monday ... 6 = Sunday.
int weekday_of(CivilDate date) noexcept;
/// "Monday" ... "Sunday".
std::string_view weekday_name(int weekday) noexcept;

/// a / b rounded towards minus infinity (b > 0): whole days of a Unix
/// time, whole weeks from a day.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

} // namespace ultrastrength

#endif
