#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include "cpty.h"

int cpty_open(char *path, unsigned long size) {
    int leader = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (leader < 0) return -1;
    if (grantpt(leader) != 0 || unlockpt(leader) != 0 || ptsname_r(leader, path, size) != 0) return -1;
    return leader;
}

short cpty_spawn_setsid(void) { return POSIX_SPAWN_SETSID; }
