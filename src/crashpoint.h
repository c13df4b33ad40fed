/*
 * crashpoint.h — named places where the crash test kills kaohe.
 *
 * tests/crash/run.sh sets KAOHE_CRASHPOINT=NAME[:N] and expects the
 * process to die by SIGKILL at the N-th time (default the first) it
 * passes kh_crashpoint(NAME): every planned kill then provably hits a
 * live process at a known step, which a timed `kill -9` cannot promise.
 * With NAME:N:stop the process stops there instead (SIGSTOP), holding
 * whatever it holds (the lock, an open transaction), so that a test can
 * signal it at a known step and let it go on (SIGCONT).  Without the
 * variable a crash point costs one comparison.
 */
#ifndef KH_CRASHPOINT_H
#define KH_CRASHPOINT_H

void	kh_crashpoint(const char *name);

#endif
