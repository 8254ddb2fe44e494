// A writer reaching up into the pipeline: the layering check must reject it.
#include "pipeline/plan_athlete.hpp"
