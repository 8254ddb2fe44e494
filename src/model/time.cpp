#include "model/time.hpp"

#include <array>
#include <cstdio>

namespace ultrastrength {

std::int64_t days_from_civil(CivilDate date) noexcept {
    const std::int64_t y = static_cast<std::int64_t>(date.year) - (date.month <= 2 ? 1 : 0);
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned mp = (date.month + 9) % 12;
    const unsigned doy = (153 * mp + 2) / 5 + date.day - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

CivilDate civil_from_days(std::int64_t days) noexcept {
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const auto doe = static_cast<unsigned>(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<int>(y + (m <= 2 ? 1 : 0)), m, d};
}

std::string format_utc(std::int64_t unix_seconds) {
    std::int64_t days = unix_seconds / 86400;
    std::int64_t rem = unix_seconds % 86400;
    if (rem < 0) {
        rem += 86400;
        --days;
    }
    const CivilDate date = civil_from_days(days);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", date.year, date.month,
                  date.day, static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60),
                  static_cast<int>(rem % 60));
    return buf;
}

std::string format_date(CivilDate date) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", date.year, date.month, date.day);
    return buf;
}

namespace {
bool digits(std::string_view text, std::size_t pos, std::size_t count, int& value) noexcept {
    if (pos + count > text.size()) {
        return false;
    }
    value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return false;
        }
        value = value * 10 + (text[i] - '0');
    }
    return true;
}

bool valid_date(int year, int month, int day) noexcept {
    static constexpr int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= month_days[month - 1];
}
} // namespace

std::optional<CivilDate> parse_date(std::string_view text) noexcept {
    int y = 0;
    int m = 0;
    int d = 0;
    if (text.size() != 10 || !digits(text, 0, 4, y) || text[4] != '-' || !digits(text, 5, 2, m) ||
        text[7] != '-' || !digits(text, 8, 2, d) || !valid_date(y, m, d)) {
        return std::nullopt;
    }
    return CivilDate{y, static_cast<unsigned>(m), static_cast<unsigned>(d)};
}

std::optional<double> parse_iso8601(std::string_view text) noexcept {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\n' ||
                             text.front() == '\r')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' ||
                             text.back() == '\r')) {
        text.remove_suffix(1);
    }
    int hh = 0;
    int mm = 0;
    int ss = 0;
    if (text.size() < 19 || !parse_date(text.substr(0, 10)) ||
        (text[10] != 'T' && text[10] != ' ') || !digits(text, 11, 2, hh) || text[13] != ':' ||
        !digits(text, 14, 2, mm) || text[16] != ':' || !digits(text, 17, 2, ss) || hh > 23 ||
        mm > 59 || ss > 60) {
        return std::nullopt;
    }
    const CivilDate date = *parse_date(text.substr(0, 10));
    double fraction = 0;
    std::size_t pos = 19;
    if (pos < text.size() && text[pos] == '.') {
        double scale = 0.1;
        ++pos;
        const std::size_t start = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            fraction += (text[pos] - '0') * scale;
            scale /= 10;
            ++pos;
        }
        if (pos == start) {
            return std::nullopt;
        }
    }
    int offset_s = 0;
    if (pos < text.size()) {
        if (text[pos] == 'Z' && pos + 1 == text.size()) {
            offset_s = 0;
        } else if ((text[pos] == '+' || text[pos] == '-') && text.size() == pos + 6 &&
                   text[pos + 3] == ':') {
            int oh = 0;
            int om = 0;
            if (!digits(text, pos + 1, 2, oh) || !digits(text, pos + 4, 2, om) || oh > 23 ||
                om > 59) {
                return std::nullopt;
            }
            offset_s = (oh * 3600 + om * 60) * (text[pos] == '-' ? -1 : 1);
        } else {
            return std::nullopt;
        }
    }
    const std::int64_t seconds =
        days_from_civil(date) * 86400 + hh * 3600 + mm * 60 + ss - offset_s;
    return static_cast<double>(seconds) + fraction;
}

int weekday_of(CivilDate date) noexcept {
    // 1970-01-01 was a Thursday (weekday 3 when Monday is 0).
    const std::int64_t days = days_from_civil(date);
    return static_cast<int>(((days % 7) + 7 + 3) % 7);
}

std::string_view weekday_name(int weekday) noexcept {
    static constexpr std::array<std::string_view, 7> names = {
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    return names[static_cast<std::size_t>(((weekday % 7) + 7) % 7)];
}

} // namespace ultrastrength
