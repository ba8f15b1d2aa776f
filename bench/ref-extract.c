/*
 * Reference extractor for the benchmark: lets GCC 12's own libgcov write the .gcda
 * files of a Jailhouse core image, the way Jailhouse's original extractor did.
 *
 *   gcc-12 -O2 bench/ref-extract.c -o build/bench/ref-extract -lgcov
 *   GCOV_PREFIX=DIR GCOV_PREFIX_STRIP=0 build/bench/ref-extract IMAGE [BASE]
 *
 * The image is read into memory; every pointer in the gcov_info list (next, filename,
 * functions[], each fn_info's key and counter values) is moved from the target's
 * address space into the buffer, every non-NULL merge hook becomes libgcov's
 * __gcov_merge_add, each record is handed to __gcov_init, and __gcov_dump() writes them.
 * Only x86-64 images (64-bit little-endian, same as the host) in the GCC 12 layout.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REF_COUNTERS 8 /* counter kinds in GCC 12 */
#define JAILHOUSE_X86_BASE 0xfffffffff0000000ULL
#define HEADER_HEAD_FIELD 40 /* jailhouse_header.gcov_info_head */

typedef int64_t ref_counter_t;
typedef void (*ref_merge_fn)(ref_counter_t *, unsigned);

/* Our own description of the GCC 12 records (LP64). */
struct ref_ctr {
	uint32_t num;
	ref_counter_t *values;
};

struct ref_info;

struct ref_fn {
	const struct ref_info *key;
	uint32_t ident;
	uint32_t lineno_checksum;
	uint32_t cfg_checksum;
	struct ref_ctr ctrs[]; /* one per non-NULL merge hook */
};

struct ref_info {
	uint32_t version;
	struct ref_info *next;
	uint32_t stamp;
	uint32_t checksum;
	const char *filename;
	ref_merge_fn merge[REF_COUNTERS];
	uint32_t n_functions;
	struct ref_fn **functions;
};

_Static_assert(sizeof(struct ref_info) == 112, "gcov_info is 112 bytes");
_Static_assert(offsetof(struct ref_info, next) == 8, "next");
_Static_assert(offsetof(struct ref_info, checksum) == 20, "checksum");
_Static_assert(offsetof(struct ref_info, filename) == 24, "filename");
_Static_assert(offsetof(struct ref_info, merge) == 32, "merge");
_Static_assert(offsetof(struct ref_info, n_functions) == 96, "n_functions");
_Static_assert(offsetof(struct ref_info, functions) == 104, "functions");
_Static_assert(offsetof(struct ref_fn, ctrs) == 24, "ctrs");
_Static_assert(sizeof(struct ref_ctr) == 16, "ctr");

/* libgcov's entry points (from libgcov.a); the argument types are ours. */
extern void __gcov_init(struct ref_info *info);
extern void __gcov_dump(void);
extern void __gcov_merge_add(ref_counter_t *counters, unsigned n);

static unsigned char *image;
static size_t image_size;
static uint64_t base;

static void die(const char *what)
{
	fprintf(stderr, "ref-extract: %s\n", what);
	exit(2);
}

/* Target address -> host pointer to `len` bytes inside the image (NULL stays NULL). */
static void *host(uint64_t addr, size_t len, const char *what)
{
	if (addr == 0)
		return NULL;
	if (addr < base || addr - base > image_size || image_size - (addr - base) < len) {
		fprintf(stderr, "ref-extract: %s pointer 0x%llx outside the image\n", what,
			(unsigned long long)addr);
		exit(2);
	}
	return image + (addr - base);
}

/* A pointer-sized field still holding a target address, rewritten in place. */
#define MOVE(field, len, what) ((field) = host((uint64_t)(uintptr_t)(field), (len), (what)))

static size_t read_image(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(2);
	}
	size_t cap = 1 << 26, n = 0;
	image = malloc(cap);
	for (;;) {
		if (n == cap) {
			cap *= 2;
			image = realloc(image, cap);
		}
		if (!image)
			die("out of memory");
		size_t got = fread(image + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f))
				die(strerror(errno));
			break;
		}
	}
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: GCOV_PREFIX=DIR GCOV_PREFIX_STRIP=0 %s IMAGE [BASE]\n", argv[0]);
		return 2;
	}
	image_size = read_image(argv[1]);
	base = argc == 3 ? strtoull(argv[2], NULL, 0) : JAILHOUSE_X86_BASE;
	if (image_size < 48 || memcmp(image, "JAILHOUS", 8) != 0)
		die("no Jailhouse header");

	uint64_t head;
	memcpy(&head, image + HEADER_HEAD_FIELD, sizeof head);

	size_t count = 0, cap = 1024;
	struct ref_info **list = malloc(cap * sizeof *list);
	for (uint64_t at = head; at != 0;) {
		struct ref_info *gi = host(at, sizeof *gi, "gcov_info");
		if (count == cap) {
			cap *= 2;
			list = realloc(list, cap * sizeof *list);
		}
		if (!list)
			die("out of memory");
		if (count > image_size / sizeof *gi)
			die("gcov_info list loops");
		list[count++] = gi;
		at = (uint64_t)(uintptr_t)gi->next;

		MOVE(gi->filename, 1, "filename");
		unsigned active = 0;
		for (int k = 0; k < REF_COUNTERS; k++)
			if (gi->merge[k]) {
				gi->merge[k] = __gcov_merge_add;
				active++;
			}
		MOVE(gi->functions, (size_t)gi->n_functions * sizeof *gi->functions, "functions");
		for (uint32_t i = 0; i < gi->n_functions; i++) {
			struct ref_fn *fn = MOVE(gi->functions[i], sizeof *fn + active * sizeof(struct ref_ctr),
						 "fn_info");
			if (!fn)
				continue;
			MOVE(fn->key, sizeof *gi, "key");
			for (unsigned c = 0; c < active; c++)
				MOVE(fn->ctrs[c].values, (size_t)fn->ctrs[c].num * sizeof(ref_counter_t), "values");
		}
	}

	/* __gcov_init prepends: register back to front so libgcov's list is the image's. */
	for (size_t i = count; i-- > 0;)
		__gcov_init(list[i]);
	__gcov_dump();
	free(list);
	return 0;
}
