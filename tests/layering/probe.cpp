// One translation unit compiled in a layer's scope: linked to that layer's
// library only, as the layer's own sources are (tests/layering/CMakeLists.txt).
// US_PROBE_HEADER is the header it tries to include.
#include US_PROBE_HEADER

int us_layering_probe();
int us_layering_probe() {
    return 0;
}
