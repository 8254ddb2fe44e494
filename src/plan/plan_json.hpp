// The plan as JSON (schemas/plan.schema.json) and as a readable summary.
// Both are deterministic: fixed key order, fixed number formatting.
#ifndef ULTRASTRENGTH_PLAN_PLAN_JSON_HPP
#define ULTRASTRENGTH_PLAN_PLAN_JSON_HPP

#include "model/plan.hpp"

#include <string>

namespace ultrastrength {

/// Pretty-printed JSON (2-space indent, trailing newline).
std::string plan_to_json(const Plan& plan);
/// A plain-text summary: one paragraph per session with its blocks and reasons.
std::string plan_to_text(const Plan& plan);

} // namespace ultrastrength

#endif
