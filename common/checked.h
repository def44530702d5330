/*
 * checked.h - CHECKED marks a function whose result says whether it failed: the
 * compiler warns about (and -Werror refuses) a call that ignores it. Every bool
 * API of common/ that can fail carries it; a caller that has nothing to do on
 * failure writes so: if (!f()) { ... why it does not matter ... }.
 */
#ifndef CHECKED_H
#define CHECKED_H

#define CHECKED __attribute__((warn_unused_result))

#endif
