# Thumb-2 builds of a guest folder's programs, beside the A32 ones: Debian
# armhf's defaults (Thumb-2 code, VFPv3-D16, hard-float calling convention).
# A folder's Makefile sets THUMB_SRCS (the sources to build this way too; a
# list, so that a program added to the folder is not built as Thumb unless
# someone asks) and includes this after ../guest-build.mk; each is built to
# <name>.thumb.elf, and `make check-rebuild` checks those too (with
# guest-build.mk's check-rebuild-loop).
#
# The flags are fixed; only THUMB_CC may be overridden.

THUMB_CC     ?= arm-linux-gnueabihf-gcc
THUMB_CFLAGS := -static -O2 -mthumb -mfpu=vfpv3-d16 -mfloat-abi=hard -pthread -Wall

THUMB_ELFS := $(THUMB_SRCS:.c=.thumb.elf)

.PHONY: check-rebuild-thumb

all: $(THUMB_ELFS)

# The shorter stem wins, so x.thumb.elf is built from x.c by this rule.
%.thumb.elf: %.c
	$(THUMB_CC) $(THUMB_CFLAGS) -o $@ $<

$(THUMB_ELFS): $(HDRS)

check-rebuild: check-rebuild-thumb

check-rebuild-thumb:
	$(call check-rebuild-loop,$(THUMB_SRCS),.thumb.elf,$(THUMB_CC) $(THUMB_CFLAGS),, (Thumb builds))
