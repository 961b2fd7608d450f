"""Comments: the analysed free text staff read (redacted), the theme taxonomy and corrections."""
