; vmha test guest: a 512-byte boot sector for QEMU tests (nasm -f bin).
; Prints a banner once at power-on, then "seq=N" on COM1 every second BIOS timer tick
; (18.2 Hz / 2 = about 9 lines a second), halting between ticks so it uses ~1% of a core.
; A banner after a restore means the VM rebooted instead of resuming; the first seq after a
; resume is the checkpoint's seq + 1 because the counter lives in guest RAM.
bits 16
org 0x7c00

BIOS_TICKS equ 0x046c           ; dword at 0040:006C, incremented by the BIOS on IRQ0 (PIT)
COM1       equ 0x3f8

start:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7c00
    cld
    sti                         ; IRQ0 wakes us from hlt
    mov si, banner
    call puts
    mov ax, [BIOS_TICKS]
    mov [last], ax
tick:
    hlt
    mov ax, [BIOS_TICKS]
    sub ax, [last]
    cmp ax, 2
    jb tick
    mov ax, [BIOS_TICKS]
    mov [last], ax
    inc dword [seq]
    mov si, prefix
    call puts
    mov eax, [seq]
    call putdec
    mov si, crlf
    call puts
    jmp tick

; print eax in decimal
putdec:
    mov ecx, 10
    xor bx, bx
.div:
    xor edx, edx
    div ecx
    push dx
    inc bx
    test eax, eax
    jnz .div
.out:
    pop ax
    add al, '0'
    call putc
    dec bx
    jnz .out
    ret

; print the zero-terminated string at ds:si
puts:
    lodsb
    test al, al
    jz .done
    call putc
    jmp puts
.done:
    ret

; print al on COM1 once its transmit register is empty
putc:
    push dx
    push ax
    mov dx, COM1 + 5
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    pop ax
    mov dx, COM1
    out dx, al
    pop dx
    ret

banner: db "VMHA-TEST-GUEST booted", 13, 10, 0
prefix: db "seq=", 0
crlf:   db 13, 10, 0
seq:    dd 0
last:   dw 0

times 510 - ($ - $$) db 0
dw 0xaa55
