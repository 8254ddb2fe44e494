// plan.html: the printable plan. One self-contained page (inline CSS and SVG,
// no script, no link, no font or image to fetch) that prints one sheet per
// plan week: the first carries the overview table and chart (strength
// minutes as bars coloured by phase, projected running load as a line), and
// each week's sheet its sessions with warm-up, exercises, cues, swaps,
// cool-down and why in plain words; the rules for real life close the last.
#ifndef ULTRASTRENGTH_PLUGINS_PLAN_HTML_PLAN_HTML_HPP
#define ULTRASTRENGTH_PLUGINS_PLAN_HTML_PLAN_HTML_HPP

#include "model/plan.hpp"
#include "plugins/plan_text/plan_text.hpp"

#include <string>
#include <string_view>

namespace ultrastrength {

/// plan.html (UTF-8, '\n' line ends).
std::string plan_html(const Plan& plan, const PlanDocumentOptions& options);

namespace detail {
/// The overview chart as an inline <svg> element.
std::string plan_overview_svg(const Plan& plan);
/// Fill colour of a phase in the chart (the `analyze --report` palette).
std::string_view phase_fill(Phase phase) noexcept;
} // namespace detail

} // namespace ultrastrength

#endif
