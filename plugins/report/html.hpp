// Helpers shared by the HTML reports.
#ifndef ULTRASTRENGTH_PLUGINS_REPORT_HTML_HPP
#define ULTRASTRENGTH_PLUGINS_REPORT_HTML_HPP

#include <string>

namespace ultrastrength {

/// `&`, `<`, `>` and `"` as character references: text and attribute values.
std::string html_escape(const std::string& text);

} // namespace ultrastrength

#endif
