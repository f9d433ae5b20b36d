// t_time.c — clocks and sleeps.
#include "tcommon.h"

static long ns(int clk) {
  long ts[2];
  S2(NR_clock_gettime, clk, ts);
  return ts[0] * 1000000000L + ts[1];
}

int main(void) {
  long ts[2], tv[2];
  SHOW("clock_gettime monotonic", S2(NR_clock_gettime, 1, ts));
  long a = ns(1), b = ns(1);
  CHECK("monotonic non-decreasing", b >= a);
  SHOW("clock_gettime realtime", S2(NR_clock_gettime, 0, ts));
  CHECK("realtime after 2020", ts[0] > 1577836800L);
  SHOW("gettimeofday", S2(NR_gettimeofday, tv, 0));
  CHECK("gettimeofday close to realtime", tv[0] - ts[0] < 3 && tv[0] - ts[0] > -3 && tv[1] < 1000000);
  SHOW("clock_getres", S2(NR_clock_getres, 1, ts));
  CHECK("resolution", ts[0] == 0 && ts[1] > 0 && ts[1] <= 1000000);
  long t0 = ns(1);
  long req[2] = {0, 30000000};
  SHOW("nanosleep 30ms", S2(NR_nanosleep, req, 0));
  long dt = ns(1) - t0;
  CHECK("slept at least 30ms", dt >= 30000000);
  CHECK("slept less than 2s", dt < 2000000000L);
  t0 = ns(1);
  long req2[2] = {0, 20000000};
  SHOW("clock_nanosleep 20ms", S4(NR_clock_nanosleep, 1, 0, req2, 0));
  CHECK("slept at least 20ms", ns(1) - t0 >= 20000000);
  long bad[2] = {0, 2000000000};
  SHOW("nanosleep bad nsec", S2(NR_nanosleep, bad, 0));
  printf("done\n");
  return 0;
}
