#include "model/text.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace ultrastrength {

namespace {

/// Length of the well-formed UTF-8 sequence at `s[i]` (RFC 3629: no
/// overlong forms, no surrogates, nothing past U+10FFFF), or 0.
std::size_t utf8_length(std::string_view s, std::size_t i) {
    const auto b = [&](std::size_t k) { return static_cast<std::uint8_t>(s[i + k]); };
    const std::uint8_t c = b(0);
    if (c < 0x80) {
        return 1;
    }
    std::size_t n = 0;
    std::uint8_t lo = 0x80;
    std::uint8_t hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    if (i + n > s.size() || b(1) < lo || b(1) > hi) {
        return 0;
    }
    for (std::size_t k = 2; k < n; ++k) {
        if (b(k) < 0x80 || b(k) > 0xBF) {
            return 0;
        }
    }
    return n;
}

void append_hex(std::string& out, std::uint8_t byte) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02X", byte);
    out += buf;
}

std::string escape(std::string_view text, bool controls) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = utf8_length(text, i);
        const auto c = static_cast<std::uint8_t>(text[i]);
        if (n == 0) {
            append_hex(out, c);
            ++i;
            continue;
        }
        // C1 controls are U+0080-U+009F: 0xC2 0x80-0x9F.
        const bool control = (n == 1 && (c < 0x20 || c == 0x7F)) ||
                             (n == 2 && c == 0xC2 && static_cast<std::uint8_t>(text[i + 1]) < 0xA0);
        if (controls && control) {
            for (std::size_t k = 0; k < n; ++k) {
                append_hex(out, static_cast<std::uint8_t>(text[i + k]));
            }
        } else {
            out.append(text.substr(i, n));
        }
        i += n;
    }
    return out;
}

bool plain_number(std::string_view s) {
    std::size_t i = (s.size() > 1 && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    bool digit = false;
    bool dot = false;
    for (; i < s.size(); ++i) {
        if (s[i] >= '0' && s[i] <= '9') {
            digit = true;
        } else if (s[i] == '.' && !dot) {
            dot = true;
        } else {
            return false;
        }
    }
    return digit;
}

} // namespace

std::string escape_invalid_utf8(std::string_view text) {
    return escape(text, false);
}

std::string printable(std::string_view text) {
    return escape(text, true);
}

std::string csv_cell(std::string_view text) {
    std::string cell;
    if (!text.empty() &&
        std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos &&
        !plain_number(text)) {
        cell = "'";
    }
    cell.append(text);
    if (cell.find_first_of(",\"\r\n") == std::string::npos) {
        return cell;
    }
    std::string out = "\"";
    for (const char c : cell) {
        if (c == '"') {
            out += '"';
        }
        out += c;
    }
    out += '"';
    return out;
}

std::string format_fixed(double value, int decimals) {
    char buffer[64];
    const int n = std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    if (n >= 0 && static_cast<std::size_t>(n) < sizeof buffer) {
        return buffer;
    }
    std::string out(static_cast<std::size_t>(n > 0 ? n : 0) + 1, '\0');
    std::snprintf(out.data(), out.size(), "%.*f", decimals, value);
    out.pop_back();
    return out;
}

std::string format_number(const char* printf_format, double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, printf_format, value);
    return buffer;
}

std::vector<std::string> split_list(std::string_view text, char separator) {
    std::vector<std::string> items;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const std::size_t end = std::min(text.find(separator, pos), text.size());
        std::string_view item = text.substr(pos, end - pos);
        while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) {
            item.remove_prefix(1);
        }
        while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) {
            item.remove_suffix(1);
        }
        if (!item.empty()) {
            items.emplace_back(item);
        }
        pos = end + 1;
    }
    return items;
}

std::vector<std::string_view> split_fields(std::string_view text, char separator) {
    std::vector<std::string_view> fields;
    std::size_t pos = 0;
    while (true) {
        const std::size_t end = text.find(separator, pos);
        fields.push_back(text.substr(pos, end == std::string_view::npos ? end : end - pos));
        if (end == std::string_view::npos) {
            return fields;
        }
        pos = end + 1;
    }
}

} // namespace ultrastrength
