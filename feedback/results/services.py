"""Results use cases, in layers (see docs/architecture.md, "Results"):

- `counts`: every count, from the database's own GROUP BY (SQL only);
- `build`: counts in, a typed `Result` out, with disclosure control and the indicator (pure);
- `releases`: releases of a wave's results, stored frozen, and when the next is due;
- `access`: who may see which wave's releases;
- `reading`: what pages, exports and the API read from a result.

This module names them in one place for the callers outside feedback.results (commands,
other features); code inside the package imports the layer it needs.
"""

from .access import (  # noqa: F401
    ResultsError,
    can_view_results,
    is_public,
    previous_wave,
    public_statuses,
    public_surveys,
    series_waves,
    set_public,
    set_published,
    visible_surveys,
)
from .build import BUILD_VERSION, DIMENSION_KEYS, DIMENSIONS, LABELS, Result  # noqa: F401
from .counts import NOT_STATED  # noqa: F401
from .reading import consented_quotes, indicator_series, parse_filter, theme_changes, view_label  # noqa: F401
from .releases import (  # noqa: F401
    WITH_RESULTS,
    WaveResults,
    build_results,
    current_results,
    latest_release,
    make_release,
    padding_now,
    padding_signs,
    put_off,
    rebuild_results,
    release_due,
    release_settings,
    wave_result,
    wave_results,
)
