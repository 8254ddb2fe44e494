// Text that came from outside (file and member names, roster cells) on its
// way out to a terminal, JSON, CSV or HTML: bytes that are not UTF-8 must not
// break a JSON encoder (one such name used to cost every other line of
// output), control characters must not drive the terminal (ESC sequences),
// and a CSV cell must not be taken for a formula by a spreadsheet.
#ifndef ULTRASTRENGTH_MODEL_TEXT_HPP
#define ULTRASTRENGTH_MODEL_TEXT_HPP

#include <string>
#include <string_view>
#include <vector>

namespace ultrastrength {

/// `text` with every byte that is not part of a well-formed UTF-8 sequence
/// written as the four characters `\xHH`; valid text is returned unchanged.
std::string escape_invalid_utf8(std::string_view text);

/// For a terminal or a log: escape_invalid_utf8, and control characters
/// (C0, DEL, C1; ESC, CR, LF and TAB included) written as `\xHH` too.
std::string printable(std::string_view text);

/// One RFC 4180 CSV cell: quoted when it holds a comma, quote or line break;
/// a cell that starts with = + - @ TAB or CR and is not a plain number gets
/// a leading apostrophe, as spreadsheets expect, so it is shown as text and
/// never run as a formula (OWASP "CSV Injection").
std::string csv_cell(std::string_view text);

/// `value` with exactly `decimals` digits after the point (printf's "%.*f"):
/// the one fixed-point number format of the plan files, reports and tables.
std::string format_fixed(double value, int decimals);

/// `value` through a printf format for one double ("%.1f", "%+.0f %%"), for
/// the reports' table cells.
std::string format_number(const char* printf_format, double value);

/// "a, b,,c" -> {"a", "b", "c"}: the items between `separator`s, spaces and
/// tabs trimmed, empty items dropped. The one list splitter of options and
/// roster cells.
std::vector<std::string> split_list(std::string_view text, char separator);

/// "a,,c" -> {"a", "", "c"}: every field between `separator`s as it stands,
/// empty ones kept (positional fields, as in DATE[,NAME[,KM[,D+]]]); "" ->
/// {""}. The views point into `text`.
std::vector<std::string_view> split_fields(std::string_view text, char separator);

/// Makes every string (and object key) of a JSON document valid UTF-8 with
/// escape_invalid_utf8, so that dumping it cannot throw. Works on any
/// nlohmann::basic_json.
template <class Json> void make_valid_utf8(Json& json) {
    if (json.is_string()) {
        auto& s = json.template get_ref<typename Json::string_t&>();
        if (auto fixed = escape_invalid_utf8(s); fixed != s) {
            s = std::move(fixed);
        }
    } else if (json.is_array()) {
        for (auto& item : json) {
            make_valid_utf8(item);
        }
    } else if (json.is_object()) {
        bool bad_key = false;
        for (auto it = json.begin(); it != json.end(); ++it) {
            bad_key = bad_key || escape_invalid_utf8(it.key()) != it.key();
            make_valid_utf8(it.value());
        }
        if (bad_key) {
            Json fixed = Json::object();
            for (auto it = json.begin(); it != json.end(); ++it) {
                fixed[escape_invalid_utf8(it.key())] = std::move(it.value());
            }
            json = std::move(fixed);
        }
    }
}

} // namespace ultrastrength

#endif
