// Wide-character ncurses: without this define cchar_t, get_wch and wadd_wch are not declared.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// glibc declares wcwidth only under _XOPEN_SOURCE, which the Glibc module is built without.
extern int wcwidth(wchar_t c);

// stdscr is a variable (or a macro in reentrant builds); Swift reads it through a function.
static inline WINDOW *cn_stdscr(void) { return stdscr; }
static inline int cn_colors(void) { return COLORS; }
static inline int cn_color_pairs(void) { return COLOR_PAIRS; }
