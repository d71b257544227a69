/**
 * Imported before Ink, for its side effect. The UI is only opened for a person at a terminal, but
 * Ink reads CI / CONTINUOUS_INTEGRATION when it loads (is-in-ci) and then only prints the last
 * frame at exit: someone whose shell exports CI=true (or a terminal test run under CI) would stare
 * at a blank screen. Inside this process the UI wins; child processes are not started from here.
 */
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;
