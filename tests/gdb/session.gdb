set pagination off
set confirm off
set width 0
break accumulate
continue
next
next
next
print sum
print n
print/x $pc
info registers a0
watch counter
continue
continue
print counter
delete
stepi
print/x $sp
x/2i $pc
print total
continue
