#ifndef CPTY_H
#define CPTY_H

/* The pseudo-terminal and spawn calls that glibc declares only under _GNU_SOURCE or
   _XOPEN_SOURCE, which Swift's Glibc module does not define. */

/* Opens a new pseudo-terminal; returns the leader's descriptor and writes the follower's path. */
int cpty_open(char *path, unsigned long size);

/* The posix_spawn flag that starts the child in a session of its own. */
short cpty_spawn_setsid(void);

#endif
