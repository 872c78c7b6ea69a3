# ГИС ЦОПП: the base module every other copp_* module depends on.
