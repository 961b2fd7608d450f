"""Results: aggregated, disclosure-controlled figures for each wave, exports and public summaries."""
