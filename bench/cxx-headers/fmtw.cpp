// Workload of bench/cxx-headers-program.sh: fmt put through most of its API.
#include <fmt/chrono.h>
#include <fmt/color.h>
#include <fmt/compile.h>
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>
#include <chrono>
#include <map>
#include <string>
#include <tuple>
#include <vector>

struct point {
	double x, y;
};

template <> struct fmt::formatter<point> {
	char presentation = 'f';
	constexpr auto parse(format_parse_context &ctx) -> decltype(ctx.begin())
	{
		auto it = ctx.begin(), end = ctx.end();
		if (it != end && (*it == 'f' || *it == 'e'))
			presentation = *it++;
		if (it != end && *it != '}')
			throw format_error("invalid format");
		return it;
	}
	template <typename FormatContext> auto format(const point &p, FormatContext &ctx) const -> decltype(ctx.out())
	{
		return presentation == 'f' ? fmt::format_to(ctx.out(), "({:.1f}, {:.1f})", p.x, p.y)
					   : fmt::format_to(ctx.out(), "({:.1e}, {:.1e})", p.x, p.y);
	}
};

int fmt_work()
{
	std::size_t total = 0;
	total += fmt::format("{} {:>8} {:<5d}|{:#x} {:08.3f} {:e}", "a", "right", 42, 255, 3.14159, 1e10).size();
	total += fmt::format("{0}-{1}-{0}", "x", 7).size();
	total += fmt::format("{name} is {age}", fmt::arg("name", "Ada"), fmt::arg("age", 36)).size();
	total += fmt::format("{}", std::vector<int>{ 1, 2, 3 }).size();
	total += fmt::format("{}", std::map<std::string, int>{ { "a", 1 }, { "b", 2 } }).size();
	total += fmt::format("{}", std::tuple<int, char, std::string>{ 1, 'c', "s" }).size();
	total += fmt::format("{}", fmt::join(std::vector<double>{ 1.5, 2.25 }, "; ")).size();
	total += fmt::format("{}", point{ 1, 2 }).size() + fmt::format("{:e}", point{ 3, 4 }).size();
	total += fmt::format(FMT_COMPILE("{} + {} = {}"), 2, 3, 5).size();
	total += fmt::format(fmt::fg(fmt::color::red) | fmt::emphasis::bold, "{}", "alert").size();
	total += fmt::format("{:%H:%M:%S}", std::chrono::seconds(3725)).size();
	total += fmt::format("{}", std::chrono::milliseconds(1500)).size();
	std::tm tm{};
	tm.tm_year = 120;
	tm.tm_mon = 1;
	tm.tm_mday = 29;
	total += fmt::format("{:%Y-%m-%d}", tm).size();
	fmt::memory_buffer buf;
	for (int i = 0; i < 100; i++)
		fmt::format_to(std::back_inserter(buf), "{:04}", i * 37);
	total += buf.size();
	try {
		(void)fmt::format(fmt::runtime("{:d}"), "not a number");
	} catch (const fmt::format_error &e) {
		total += std::string(e.what()).size();
	}
	try {
		(void)fmt::format(fmt::runtime("{:q}"), point{ 0, 0 });
	} catch (const fmt::format_error &) {
		total += 1;
	}
	total += fmt::formatted_size("{:>20}", 1.0 / 3);
	total += fmt::to_string(123456789).size() + fmt::to_string(2.5).size();
	return static_cast<int>(total);
}
