// Entry point: parse, run, and map every failure onto the documented exit codes.
WSInspect.runAndExit()
