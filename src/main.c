/* main.c — placeholder until the command layer lands. */
#include <stdio.h>
int main(void) { puts("kaohe " KH_VERSION); return 0; }
