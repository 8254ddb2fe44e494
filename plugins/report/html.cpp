#include "plugins/report/html.hpp"

#include "model/text.hpp"

namespace ultrastrength {

std::string html_escape(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    // Names are bytes from outside: made valid UTF-8, control characters
    // (ESC, ...) shown as \xHH, never passed into the page raw.
    for (const char c : printable(s)) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

} // namespace ultrastrength
