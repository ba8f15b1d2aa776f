// Workload of bench/cxx-headers-program.sh: runs both halves; exit status 0 when both ran.
#include <cstdio>
int json_work();
int fmt_work();
int main()
{
	int j = json_work();
	int f = fmt_work();
	std::printf("%d %d\n", j, f);
	return j > 0 && f > 0 ? 0 : 1;
}
